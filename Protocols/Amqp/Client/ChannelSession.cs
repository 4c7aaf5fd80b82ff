namespace ReactiveKv.Amqp;

/// <summary>
/// One channel as it is open on one connection: the synchronous methods waiting for their replies (answered in
/// order), the publishes waiting for confirms (by sequence number), and a message being assembled from its content
/// header and body frames. A new session, with a new <see cref="Epoch"/>, starts each time the channel is opened.
/// </summary>
internal sealed class ChannelSession(AmqpChannel channel, long epoch)
{
    public AmqpChannel Channel => channel;

    public ushort Number => channel.Number;

    /// <summary>Unique per opening: delivery tags of one session mean nothing in another.</summary>
    public long Epoch => epoch;

    public Queue<AmqpCommand> Awaiting { get; } = new();

    public SortedDictionary<ulong, AmqpCommand> Unconfirmed { get; } = [];

    public bool Confirming { get; set; }

    public ulong NextPublishSeq { get; set; } = 1;

    /// <summary>The method whose content (header, then body frames) is being read.</summary>
    public IAmqpMethod? ContentMethod { get; set; }

    public BasicProperties? ContentProperties { get; set; }

    public byte[]? Body { get; set; }

    public int BodyFilled { get; set; }

    public int Pending => Awaiting.Count + Unconfirmed.Count;
}
