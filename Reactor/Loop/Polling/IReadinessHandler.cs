namespace ReactiveKv;

/// <summary>Something registered with a loop's poller: told on the loop thread which events its descriptor is ready for.</summary>
internal interface IReadinessHandler
{
    /// <summary>Called on the loop thread with the <c>EPOLL*</c> bits that fired.</summary>
    void OnReadiness(uint events);
}
