namespace ReactiveKv;

/// <summary>Something that produces data until told to pause (Twisted's <c>IPushProducer</c>).</summary>
public interface IPushProducer
{
    /// <summary>Stop producing until <see cref="ResumeProducing"/>.</summary>
    void PauseProducing();

    /// <summary>Produce again.</summary>
    void ResumeProducing();

    /// <summary>Stop for good.</summary>
    void StopProducing();
}
