namespace ReactiveKv;

/// <summary>
/// Accepts a producer and paces it (Twisted's <c>IConsumer</c>): a transport pauses its registered producer when
/// unsent bytes pass the high watermark and resumes it when they fall below the low one.
/// </summary>
public interface IConsumer
{
    /// <summary>Registers the producer to pace; only one at a time.</summary>
    void RegisterProducer(IPushProducer producer);

    /// <summary>Forgets the registered producer.</summary>
    void UnregisterProducer();
}
