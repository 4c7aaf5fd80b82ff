namespace ReactiveKv;

/// <summary>A backend client: created lazily, connected on demand or by <see cref="ConnectAsync"/>, disposed asynchronously.</summary>
public interface IConnectableClient : IAsyncDisposable
{
    /// <summary>Connects now, if not connected, and completes once connected; fails with the connect error.</summary>
    Task ConnectAsync(CancellationToken cancellationToken = default);
}
