namespace ReactiveKv.Amqp;

/// <summary>
/// The broker closed a channel because of an operation on it (<c>channel.close</c>): 404 not-found, 405
/// resource-locked, 406 precondition-failed, 403 access-refused… The operation that caused it fails with this
/// exception; the others waiting on the channel fail with it as their cause; the channel reopens on its next use.
/// </summary>
public sealed class AmqpChannelException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public AmqpChannelException(string message, ushort replyCode, string replyText, ushort classId, ushort methodId, Exception? innerException = null)
        : base(message, innerException)
    {
        ReplyCode = replyCode;
        ReplyText = replyText;
        ClassId = classId;
        MethodId = methodId;
    }

    /// <summary>The AMQP reply code (404 not-found, 406 precondition-failed…).</summary>
    public ushort ReplyCode { get; }

    /// <summary>The broker's explanation.</summary>
    public string ReplyText { get; }

    /// <summary>The class of the method that caused it.</summary>
    public ushort ClassId { get; }

    /// <summary>The method that caused it.</summary>
    public ushort MethodId { get; }

    internal static string Culprit(ushort classId, ushort methodId) => classId == 0 ? "" : $" (caused by {AmqpMethodDecoder.Name(classId, methodId)})";
}
