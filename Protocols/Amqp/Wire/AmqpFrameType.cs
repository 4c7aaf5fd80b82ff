namespace ReactiveKv.Amqp;

/// <summary>The frame types of AMQP 0-9-1 (spec §4.2.3); any other type octet is a frame error.</summary>
public enum AmqpFrameType : byte
{
    /// <summary>A method: class id, method id and arguments.</summary>
    Method = 1,

    /// <summary>A content header: class id, body size and properties.</summary>
    Header = 2,

    /// <summary>A piece of content body.</summary>
    Body = 3,

    /// <summary>A heartbeat, always on channel 0 with an empty payload.</summary>
    Heartbeat = 8,
}
