namespace ReactiveKv.Amqp;

/// <summary>The broker closed the connection with <c>connection.close</c>: its reply code and text, and the method that caused it.</summary>
public sealed class AmqpBrokerClosedException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public AmqpBrokerClosedException(ushort replyCode, string replyText, ushort classId, ushort methodId)
        : base($"The broker closed the connection: {replyCode} {replyText}{AmqpChannelException.Culprit(classId, methodId)}.")
    {
        ReplyCode = replyCode;
        ReplyText = replyText;
        ClassId = classId;
        MethodId = methodId;
    }

    /// <summary>The AMQP reply code (320 connection-forced, 403 access-refused, 501 frame-error, 530 not-allowed…).</summary>
    public ushort ReplyCode { get; }

    /// <summary>The broker's explanation.</summary>
    public string ReplyText { get; }

    /// <summary>The class of the method that caused the close; 0 when none did.</summary>
    public ushort ClassId { get; }

    /// <summary>The method that caused the close; 0 when none did.</summary>
    public ushort MethodId { get; }
}
