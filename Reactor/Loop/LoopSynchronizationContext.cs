namespace ReactiveKv;

/// <summary>Makes <c>await</c> inside loop code come back to the loop thread.</summary>
internal sealed class LoopSynchronizationContext(EventLoop loop) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => loop.PostContinuation(d, state);

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (loop.IsLoopThread)
        {
            d(state);
            return;
        }

        loop.InvokeAsync(() => d(state)).GetAwaiter().GetResult();
    }

    public override SynchronizationContext CreateCopy() => this;
}
