using System.Net;
using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// What a reactor runs on, Twisted's choice of reactor (select, epoll, IOCP, asyncio): where its loops' turns and
/// timers run, and how it connects and listens. The default (no backend in <see cref="ReactorOptions.Backend"/>) is the
/// reactor's own: a thread per loop polling its sockets with epoll. Another backend (ReactiveKv.Reactor.DotNetty's)
/// hosts the same <see cref="EventLoop"/>s on its executors and moves bytes through its channels; protocols, clients,
/// servers and timers run unchanged on either.
/// </summary>
/// <remarks>
/// Backends ship with the reactor (they reach its internal transport base), so only its own assemblies derive from this.
/// </remarks>
public abstract class ReactorBackend
{
    /// <summary>For the reactor's own backend assemblies.</summary>
    internal ReactorBackend()
    {
    }

    /// <summary>
    /// The backend new <see cref="ReactorOptions"/> start with, process-wide, as installing a reactor works in Twisted:
    /// a program's entry point sets it once (from <c>--reactor</c>) before it builds reactors; null is the reactor's own.
    /// </summary>
    public static ReactorBackend? Default { get; set; }

    /// <summary>The backend's name, as <c>--reactor</c> and <c>REACTIVEKV_REACTOR</c> spell it.</summary>
    public abstract string Name { get; }

    /// <summary>Makes the loops of one run of a reactor; stopping the group releases what the backend made for it.</summary>
    internal abstract EventLoopGroup CreateLoops(ReactorOptions options, ILogger logger);

    /// <summary>How to connect to <paramref name="destination"/>; null uses the reactor's own sockets (on the backend's loops).</summary>
    internal virtual IConnectionOpener? OpenerFor(EndPoint destination) => null;

    /// <summary>Listens on <paramref name="address"/>; null leaves it to the reactor's own sockets (on the backend's loops).</summary>
    /// <exception cref="CannotListenException">The address is in use or not bindable.</exception>
    internal virtual IListeningPort? Listen(
        EventLoopGroup loops,
        EndPoint address,
        IProtocolFactory factory,
        int backlog,
        TransportOptions options,
        SslServerAuthenticationOptions? tls,
        ILogger logger,
        ConnectionTracker tracker) => null;

    /// <inheritdoc />
    public override string ToString() => Name;
}
