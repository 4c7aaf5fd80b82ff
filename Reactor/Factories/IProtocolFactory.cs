using System.Net;

namespace ReactiveKv;

/// <summary>Builds a protocol for each new connection (Twisted's <c>IProtocolFactory</c>).</summary>
public interface IProtocolFactory
{
    /// <summary>A protocol for a connection with <paramref name="address"/>, or null to refuse it (the connection is closed).</summary>
    IProtocol? BuildProtocol(EndPoint address);

    /// <summary>Called when the factory starts being used by a port or connector (reference-counted).</summary>
    void DoStart();

    /// <summary>Called when the last port or connector stops using the factory.</summary>
    void DoStop();
}
