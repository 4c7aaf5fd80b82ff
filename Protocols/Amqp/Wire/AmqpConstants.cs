namespace ReactiveKv.Amqp;

/// <summary>The fixed numbers of AMQP 0-9-1 framing (spec §4.2 and the XML's constants).</summary>
public static class AmqpConstants
{
    /// <summary>The octet every frame ends with; anything else there means the stream lost its framing.</summary>
    public const byte FrameEnd = 0xCE;

    /// <summary>Type, channel and size: the bytes before a frame's payload.</summary>
    public const int FrameHeaderSize = 7;

    /// <summary>Header plus frame-end: what a frame costs beyond its payload, so body frames carry frame_max minus this.</summary>
    public const int FrameOverhead = FrameHeaderSize + 1;

    /// <summary>The smallest frame_max a peer may negotiate, and the limit that applies before connection.tune.</summary>
    public const int FrameMinSize = 4096;

    /// <summary>RabbitMQ's default frame_max (128 KiB), which its connection.tune proposes.</summary>
    public const int DefaultFrameMax = 131072;

    /// <summary>
    /// How deep tables and arrays may nest inside one another. The spec sets no bound; this codec's keeps a hostile
    /// peer (or a table that contains itself) from exhausting the stack. RabbitMQ's own headers nest two or three deep.
    /// </summary>
    public const int MaxFieldNesting = 32;

    /// <summary>The class id of basic, the only class that carries content.</summary>
    public const ushort BasicClassId = 60;

    /// <summary>The header a client sends first: "AMQP", protocol id 0, then version 0-9-1.</summary>
    public static ReadOnlySpan<byte> ProtocolHeader => "AMQP\0\0\x09\x01"u8;
}
