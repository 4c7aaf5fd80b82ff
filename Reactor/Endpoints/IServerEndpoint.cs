namespace ReactiveKv;

/// <summary>Somewhere to listen (Twisted's <c>IStreamServerEndpoint</c>).</summary>
public interface IServerEndpoint
{
    /// <summary>Starts listening; fires with the port, or fails with <see cref="CannotListenException"/>.</summary>
    Deferred<IListeningPort> Listen(IProtocolFactory factory);
}
