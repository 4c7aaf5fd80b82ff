namespace ReactiveKv;

/// <summary>Somewhere to connect to (Twisted's <c>IStreamClientEndpoint</c>).</summary>
public interface IClientEndpoint
{
    /// <summary>Connects once; fires with the protocol after its <c>ConnectionMade</c>, or fails with the connect error. Cancelling stops the attempt.</summary>
    Deferred<IProtocol> Connect(IProtocolFactory factory);
}
