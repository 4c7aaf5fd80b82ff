namespace ReactiveKv;

/// <summary>A transport the reactor made for an established connection, ready to be given its protocol.</summary>
internal interface IConnectionTransport : ITcpTransport
{
    /// <summary>Attaches the protocol and starts moving bytes. Loop thread only.</summary>
    void Start(IProtocol protocol, Action<Exception>? onLost = null);
}
