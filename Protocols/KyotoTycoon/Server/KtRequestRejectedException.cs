namespace ReactiveKv.KyotoTycoon;

/// <summary>A request the embedded server will not take, with the answer ktserver gives it.</summary>
internal sealed class KtRequestRejectedException : ProtocolErrorException
{
    public KtRequestRejectedException(string message, KtRejection answer, Exception? innerException = null)
        : base(message, innerException) => Answer = answer;

    /// <summary>What the connection does about it.</summary>
    public KtRejection Answer { get; }
}
