using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace ReactiveKv.DotNetty;

/// <summary>
/// DotNetty as the reactor (<see cref="ReactorOptions.Backend"/>): each reactor loop runs on a DotNetty
/// <see cref="IEventLoop"/> (turns, timers and the Rx scheduler are tasks there), and TCP and TLS connections are DotNetty
/// channels whose last handler drives the protocol. Unix sockets, which DotNetty 0.7 has no channel for, use the
/// reactor's own sockets, still on the DotNetty loops.
/// </summary>
public sealed class DotNettyReactorBackend : ReactorBackend
{
    private readonly IEventLoopGroup? _group;

    /// <summary>A backend that makes a DotNetty group for each run of the reactor (<see cref="ReactorOptions.LoopCount"/> loops) and shuts it down when the reactor stops.</summary>
    public DotNettyReactorBackend()
    {
    }

    /// <summary>
    /// A backend on an application's own DotNetty group (a <c>ServerBootstrap</c>'s): the reactor's loops are that
    /// group's loops, so the application's handlers call clients with no thread hop. The application owns the group and
    /// shuts it down after the reactor.
    /// </summary>
    public DotNettyReactorBackend(IEventLoopGroup group) => _group = group ?? throw new ArgumentNullException(nameof(group));

    /// <inheritdoc />
    public override string Name => "dotnetty";

    /// <summary>
    /// The reactor loop hosted on <paramref name="executor"/>, a loop of a reactor built with this backend; a
    /// channel handler uses it to reach the reactor (and clients bound to that loop) without leaving its thread.
    /// </summary>
    public static EventLoop LoopOf(Reactor reactor, IEventLoop executor)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        for (var i = 0; i < reactor.Loops.Count; i++)
        {
            if (reactor.Loops[i].Host is DotNettyLoopHost host && ReferenceEquals(host.Executor, executor))
            {
                return reactor.Loops[i];
            }
        }

        throw new ArgumentException("The DotNetty loop is not one of the reactor's.", nameof(executor));
    }

    internal override EventLoopGroup CreateLoops(ReactorOptions options, ILogger logger)
    {
        var owned = _group is null;
        var group = _group ?? new MultithreadEventLoopGroup(options.LoopCount > 0 ? options.LoopCount : Environment.ProcessorCount);
        var loops = DotNettyLoops.Create(group, options.Name, options.Clock, logger, options.ResumeAwaitersOnLoop);
        return new EventLoopGroup(loops, owned ? new GroupShutdown(group) : null);
    }

    internal override IConnectionOpener? OpenerFor(EndPoint destination) =>
        destination is UnixDomainSocketEndPoint ? null : DotNettyConnectionOpener.Instance;

    internal override IListeningPort? Listen(EventLoopGroup loops, EndPoint address, IProtocolFactory factory, int backlog, TransportOptions options, SslServerAuthenticationOptions? tls, ILogger logger, ConnectionTracker tracker) =>
        address is UnixDomainSocketEndPoint ? null : DotNettyListeningPort.Listen(loops, address, factory, backlog, options, tls, logger, tracker);

    // Shuts the group down once its reactor loops have run their last turns.
    private sealed class GroupShutdown(IEventLoopGroup group) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                _ = group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1));
            }
        }
    }
}
