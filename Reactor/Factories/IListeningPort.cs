using System.Net;
using System.Reactive;

namespace ReactiveKv;

/// <summary>A port accepting connections (Twisted's <c>IListeningPort</c>).</summary>
public interface IListeningPort
{
    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    EndPoint Address { get; }

    /// <summary>The bound TCP port, or 0 for a Unix socket.</summary>
    int Port { get; }

    /// <summary>Stops accepting; connections already made stay up. Fires when the port is closed.</summary>
    Deferred<Unit> StopListening();
}
