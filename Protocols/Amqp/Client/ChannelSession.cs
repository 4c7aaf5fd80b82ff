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

    /// <summary>Its deliveries waiting to be settled, and the acks of this turn held to go out as one.</summary>
    public AckCoalescer Acks { get; } = new();

    /// <summary>Publishes waiting for their confirms, by sequence number (confirms mostly come in order).</summary>
    public Dictionary<ulong, AmqpCommand> Unconfirmed { get; } = [];

    public bool Confirming { get; set; }

    public ulong NextPublishSeq { get; set; } = 1;

    /// <summary>No publish older than this waits for its confirm: where a multiple confirm starts looking.</summary>
    public ulong OldestUnconfirmed { get; private set; } = 1;

    /// <summary>The publishes waiting for confirms, oldest first.</summary>
    public IEnumerable<AmqpCommand> UnconfirmedInOrder()
    {
        for (var seq = OldestUnconfirmed; seq < NextPublishSeq && Unconfirmed.Count > 0; seq++)
        {
            if (Unconfirmed.TryGetValue(seq, out var command))
            {
                yield return command;
            }
        }
    }

    /// <summary>Moves <see cref="OldestUnconfirmed"/> past the confirmed ones.</summary>
    public void SkipConfirmed()
    {
        while (OldestUnconfirmed < NextPublishSeq && !Unconfirmed.ContainsKey(OldestUnconfirmed))
        {
            OldestUnconfirmed++;
        }
    }

    /// <summary>The method whose content (header, then body frames) is being read.</summary>
    public IAmqpMethod? ContentMethod { get; set; }

    public BasicProperties? ContentProperties { get; set; }

    public byte[]? Body { get; set; }

    public int BodyFilled { get; set; }

    public int Pending => Awaiting.Count + Unconfirmed.Count;
}
