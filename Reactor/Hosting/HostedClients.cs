namespace ReactiveKv.Hosting;

/// <summary>
/// The clients a container made, so the reactor's hosted service disposes them (closing their connections cleanly)
/// before it stops the reactor, whatever order they were registered in. The container disposes
/// them again when it is disposed, which does nothing the second time.
/// </summary>
public sealed class HostedClients
{
    private readonly List<IConnectableClient> _clients = [];
    private readonly Lock _gate = new();

    /// <summary>How many clients are held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>Holds <paramref name="client"/> until <see cref="DisposeAllAsync"/>.</summary>
    public void Add(IConnectableClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        lock (_gate)
        {
            _clients.Add(client);
        }
    }

    /// <summary>
    /// Disposes every client held, all at once (they share nothing but the reactor, so a host with many clients stops
    /// as fast as its slowest one); a failure of one does not keep the others open.
    /// </summary>
    public async Task DisposeAllAsync()
    {
        IConnectableClient[] clients;
        lock (_gate)
        {
            clients = [.. _clients];
            _clients.Clear();
        }

        var closing = Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        try
        {
            await closing.ConfigureAwait(false);
        }
        catch when (closing.Exception is { } errors)
        {
            throw new AggregateException("Some clients failed to close.", errors.InnerExceptions);
        }
    }
}
