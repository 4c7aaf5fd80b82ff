namespace ReactiveKv.Examples.Support;

/// <summary>
/// The live connections of a server. Stopping a listening port leaves its connections up (as in Twisted), so a
/// server that shuts down cleanly has to know them to close them.
/// </summary>
public sealed class ConnectionSet
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly Dictionary<ITransport, TaskCompletionSource> _open = new(ReferenceEqualityComparer.Instance);

    /// <summary>Connections open now.</summary>
    public int Count
    {
        get
        {
            lock (_open)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Wraps <paramref name="factory"/> so every connection it builds is tracked here.</summary>
    public IProtocolFactory Track(IProtocolFactory factory) => new TrackingFactory(factory, this);

    /// <summary>
    /// Closes every open connection with <see cref="ITransport.LoseConnection"/> and waits until each is gone;
    /// connections that do not finish flushing within a few seconds are aborted.
    /// </summary>
    public async Task CloseAllAsync()
    {
        KeyValuePair<ITransport, TaskCompletionSource>[] open;
        lock (_open)
        {
            open = [.. _open];
        }

        foreach (var (transport, _) in open)
        {
            transport.LoseConnection();
        }

        var closed = Task.WhenAll(open.Select(c => c.Value.Task));
        if (await Task.WhenAny(closed, Task.Delay(CloseGrace)) != closed)
        {
            foreach (var (transport, _) in open)
            {
                transport.AbortConnection();
            }

            await closed;
        }
    }

    internal void Opened(ITransport transport)
    {
        lock (_open)
        {
            _open[transport] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    internal void Closed(ITransport transport)
    {
        TaskCompletionSource? closed;
        lock (_open)
        {
            _open.Remove(transport, out closed);
        }

        closed?.TrySetResult();
    }
}
