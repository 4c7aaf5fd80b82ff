namespace ReactiveKv;

/// <summary>
/// A protocol the reactor puts around the application's (for a connect's outcome, or a server's limits), forwarding
/// every callback: the transport looks through it for what the wrapped protocol implements, such as
/// <see cref="IHalfCloseableProtocol"/>, as Twisted's <c>ProtocolWrapper</c> provides what its wrapped protocol provides.
/// </summary>
internal interface IProtocolWrapper
{
    /// <summary>The protocol every callback is forwarded to.</summary>
    IProtocol Wrapped { get; }
}
