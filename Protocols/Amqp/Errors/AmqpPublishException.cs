namespace ReactiveKv.Amqp;

/// <summary>
/// A confirmed publish was not taken by the broker: it was returned as unroutable (<see cref="Returned"/>, a
/// mandatory publish no queue took) or nacked (the broker could not take responsibility for it).
/// </summary>
public sealed class AmqpPublishException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public AmqpPublishException(string message, bool returned, ushort replyCode, string replyText)
        : base(message)
    {
        Returned = returned;
        ReplyCode = replyCode;
        ReplyText = replyText;
    }

    /// <summary>True when the broker returned the message (basic.return); false when it nacked it.</summary>
    public bool Returned { get; }

    /// <summary>The return's reply code (312 no-route); 0 for a nack.</summary>
    public ushort ReplyCode { get; }

    /// <summary>The return's reply text; empty for a nack.</summary>
    public string ReplyText { get; }
}
