namespace ReactiveKv.Amqp;

/// <summary>
/// A method frame named a class and method this codec does not know (a client answers with connection.close 540
/// not-implemented or 503 command-invalid, quoting the ids).
/// </summary>
public sealed class AmqpUnknownMethodException : AmqpFrameException
{
    /// <summary>Creates the exception for the given ids.</summary>
    public AmqpUnknownMethodException(ushort classId, ushort methodId)
        : base($"Unknown AMQP method {classId}/{methodId}.")
    {
        ClassId = classId;
        MethodId = methodId;
    }

    /// <summary>The class id the frame carried.</summary>
    public ushort ClassId { get; }

    /// <summary>The method id the frame carried.</summary>
    public ushort MethodId { get; }
}
