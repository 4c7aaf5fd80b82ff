namespace ReactiveKv;

/// <summary>A backend client: created lazily, connected on demand or by <see cref="ConnectAsync"/>, disposed asynchronously.</summary>
public interface IConnectableClient : IAsyncDisposable
{
    /// <summary>Where the client's connections stand, over all of them (what its health check reports).</summary>
    ClientConnectionState ConnectionState { get; }

    /// <summary>Why the last attempt failed or the last connection went away; null once connected again.</summary>
    Exception? LastConnectionError { get; }

    /// <summary>
    /// The client's connection events, hot: connects, losses with their reasons, reconnect attempts, and the
    /// backend's own (primary changes, resubscribes, recoveries). It completes when the client is disposed.
    /// </summary>
    IObservable<ClientConnectionEvent> ConnectionEvents { get; }

    /// <summary>Connects now, if not connected, and completes once connected; fails with the connect error.</summary>
    Task ConnectAsync(CancellationToken cancellationToken = default);
}
