using System.Net;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// A connection that is established (connected, TLS done) and has no protocol yet: the connector asks the factory for
/// one, then makes the transport, or disposes this when the factory refuses.
/// </summary>
internal interface IPendingConnection : IDisposable
{
    EndPoint RemoteEndPoint { get; }

    /// <summary>Makes the transport to <see cref="IConnectionTransport.Start"/>. Loop thread.</summary>
    IConnectionTransport CreateTransport(TransportOptions options, ILogger logger, ConnectionTracker? tracker);
}
