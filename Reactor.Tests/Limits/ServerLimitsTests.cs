using System.Buffers;
using System.Collections.Concurrent;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Limits;

/// <summary>
/// <see cref="ServerLimits"/> through <see cref="LimitedServerFactory"/> on a line-echo server: a one-loop reactor on
/// a <see cref="TestScheduler"/> with real loopback sockets, so the timers move only when the test says.
/// </summary>
public sealed class ServerLimitsTests : IAsyncDisposable
{
    private readonly TestScheduler _clock = new();
    private readonly ReactorFixture _fixture;
    private readonly ConcurrentQueue<LineEcho> _accepted = new();

    public ServerLimitsTests() => _fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1, Clock = _clock });

    [Fact]
    public async Task MaxConnections_RefusesTheNextAtOnceWhileTheOthersKeepWorking()
    {
        var (port, factory) = Listen(new ServerLimits { MaxConnections = 2 });
        using var first = await RawSocket.Connect(port);
        using var second = await RawSocket.Connect(port);
        await Echo(first, "a");
        await Echo(second, "b");

        using var third = await RawSocket.Connect(port);
        Assert.Equal(0, await third.WhenClosed());
        Assert.Equal(1, factory.RefusedConnections);
        await Echo(first, "c");
        await Echo(second, "d");

        // A slot freed by a closed connection is given to the next one.
        first.Dispose();
        Guard.Until(() => factory.ActiveConnections == 1, "the server sees the first connection go");
        using var fourth = await RawSocket.Connect(port);
        await Echo(fourth, "e");
        Assert.Equal(2, factory.ActiveConnections);
    }

    [Fact]
    public async Task IdleTimeout_ClosesAConnectionWithNoTrafficButNotAnActiveOne()
    {
        var (port, factory) = Listen(new ServerLimits { IdleTimeout = TimeSpan.FromMinutes(5) });
        using var client = await RawSocket.Connect(port);
        await Echo(client, "hello");

        // Traffic just before the deadline pushes it back.
        await Advance(TimeSpan.FromSeconds(299));
        await Echo(client, "still here");
        await Advance(TimeSpan.FromSeconds(299));
        await Echo(client, "and again");
        Assert.Equal(0, factory.IdleClosed);

        await Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await client.WhenClosed());
        Assert.Equal(1, factory.IdleClosed);
        Guard.Until(() => factory.ActiveConnections == 0, "the slot is released");
    }

    [Fact]
    public async Task RequestTimeout_ClosesASlowLorisThatKeepsTheIdleTimerHappy()
    {
        var (port, factory) = Listen(new ServerLimits { IdleTimeout = TimeSpan.FromMinutes(5), RequestTimeout = TimeSpan.FromSeconds(30) });
        using var client = await RawSocket.Connect(port);

        // A complete request stops the request timer: the connection survives well past the request timeout.
        await Echo(client, "quick");
        await Advance(TimeSpan.FromSeconds(31));
        await Echo(client, "quick again");

        // One byte every 10 s, never the end of the line: the idle timer never fires, the request timer does.
        var server = _accepted.Single();
        for (var i = 1; i <= 3; i++)
        {
            await client.Send("x");
            Guard.Until(() => server.Pending == i, "the server has the byte");
            await Settle();
            _clock.AdvanceBy(TimeSpan.FromSeconds(i < 3 ? 10 : 9));
        }

        await Settle();
        Assert.Equal(0, factory.RequestTimeouts);
        _clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await client.WhenClosed());
        Assert.Equal(1, factory.RequestTimeouts);
        Assert.Equal(0, factory.IdleClosed);
    }

    [Fact]
    public async Task MaxBufferedInputBytes_FailsAConnectionThatBuffersTooMuchOfOneRequest()
    {
        var (port, _) = Listen(new ServerLimits { MaxBufferedInputBytes = 64 << 10 });
        using var client = await RawSocket.Connect(port);
        await Echo(client, "small is fine");

        var closed = client.WhenClosed();
        try
        {
            await client.Send(new byte[4 << 20]);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The server may reset the connection while the rest is still being sent.
        }

        await closed;
        Assert.InRange(_accepted.Single().MostPending, 64 << 10, 8 << 20);
    }

    [Fact]
    public async Task MaxBufferedOutputBytes_AbortsAConnectionWhoseRepliesPileUp()
    {
        var (port, _) = Listen(new ServerLimits { MaxBufferedOutputBytes = 64 << 10 });
        using var client = await RawSocket.Connect(port);
        await Echo(client, "small is fine");

        // One reply of 1 MiB is far past the cap: the connection is aborted rather than the reply buffered.
        await client.Send("flood\n");
        Assert.True(await client.WhenClosed() < 1 << 20);
    }

    [Fact]
    public void ApplyTo_NeverCapsInputBelowTheServersOwnLargestRequest()
    {
        var limits = new ServerLimits { MaxBufferedInputBytes = 1 << 20, MaxBufferedOutputBytes = 2 << 20 };
        var options = limits.ApplyTo(TransportOptions.Default, largestRequestBytes: 8 << 20);
        Assert.True(options.MaxBufferedReadBytes > 8 << 20);
        Assert.Equal(2 << 20, options.MaxPendingWriteBytes);
        Assert.Equal(1 << 20, limits.ApplyTo(TransportOptions.Default).MaxBufferedReadBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LimitedServerFactory(new ServerFactory(() => null), new ServerLimits { MaxConnections = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LimitedServerFactory(new ServerFactory(() => null), new ServerLimits { IdleTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LimitedServerFactory(new ServerFactory(() => null), new ServerLimits { MaxBufferedOutputBytes = 0 }));
        _ = new LimitedServerFactory(new ServerFactory(() => null), ServerLimits.Unlimited);
    }

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    /// <summary>
    /// Moves the clock, lets the loop run the timers that came due (they are posted to it), then nudges the clock a
    /// tick so a timer they re-armed for exactly now runs too.
    /// </summary>
    private async Task Advance(TimeSpan by)
    {
        _clock.AdvanceBy(by);
        await Settle();
        _clock.AdvanceBy(1);
        await Settle();
    }

    private async Task Settle()
    {
        await _fixture.Reactor.MainLoop.InvokeAsync(() => { });
        await _fixture.Reactor.MainLoop.InvokeAsync(() => { });
    }

    private static async Task Echo(RawSocket client, string line)
    {
        await client.Send(line + "\n");
        Assert.Equal(line + "\n", await client.ReadUntil("\n"));
    }

    private (int Port, LimitedServerFactory Factory) Listen(ServerLimits limits)
    {
        var factory = new LimitedServerFactory(
            new ServerFactory(() =>
            {
                var echo = new LineEcho();
                _accepted.Enqueue(echo);
                return echo;
            }),
            limits);
        var port = _fixture.Reactor.ListenTcp(0, factory, options: limits.ApplyTo(_fixture.Reactor.Options.Transport));
        return (port.Port, factory);
    }

    /// <summary>Echoes whole lines and leaves a partial one unconsumed, as a framed server leaves a partial request.</summary>
    private sealed class LineEcho : Protocol
    {
        private long _pending;
        private long _mostPending;

        public long Pending => Volatile.Read(ref _pending);

        public long MostPending => Volatile.Read(ref _mostPending);

        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            var rest = data;
            while (rest.PositionOf((byte)'\n') is { } end)
            {
                var line = rest.Slice(0, rest.GetPosition(1, end));
                if (line.FirstSpan.StartsWith("flood"u8))
                {
                    Transport.Write(new byte[1 << 20]);
                }
                else
                {
                    Transport.WriteSequence(line);
                }

                rest = rest.Slice(line.End);
            }

            Volatile.Write(ref _pending, rest.Length);
            Volatile.Write(ref _mostPending, Math.Max(_mostPending, rest.Length));
            return rest.Start;
        }
    }
}
