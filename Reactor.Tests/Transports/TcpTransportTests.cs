using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Transports;

/// <summary>Runs every transport test on both transports (the loop's own epoll, and the thread-pool pipes), in plain TCP and under TLS.</summary>
public abstract class TcpTransportTests
{
    private protected abstract bool NativePolling { get; }

    private protected virtual bool Tls => false;

    /// <summary>The reactor these run on; the transport classes name theirs rather than take the environment's.</summary>
    private protected virtual string Reactor => "epoll";

    private protected ReactorFixture NewFixture() => new(new ReactorOptions { LoopCount = 2, NativePolling = NativePolling }, Reactor);

    [Fact]
    public async Task BothEnds_UseTheTransportTheLoopsWereBuiltFor()
    {
        await using var fixture = NewFixture();
        var client = new RecordingProtocol();
        var (_, server) = await fixture.ConnectPairAsync(() => new RecordingProtocol(), client, tls: Tls);
        if (Reactor == "dotnetty")
        {
            // Both ends are DotNetty channels (TLS is a handler in the channel's pipeline), on loops DotNetty runs.
            Assert.True(client.Transport.Loop.IsHosted);
            Assert.All(new[] { client, server }, side => Assert.IsType<ReactiveKv.DotNetty.DotNettyTransport>(side.Transport));
            return;
        }

        var epoll = NativePolling && OperatingSystem.IsLinux();

        Assert.Equal(epoll, client.Transport.Loop.UsesNativePolling);
        foreach (var side in new[] { client, server })
        {
            // Under TLS the protocol's transport is the pipe one over the TLS channel; the socket's is the one below it.
            var carrier = Tls ? Assert.IsType<TlsChannel>(((TransportBase)side.Transport).Channel).Carrier : side.Transport;
            Assert.Equal(epoll, carrier is PollingSocketTransport);
            Assert.Equal(!epoll, carrier is StreamTransport);
            Assert.Equal(Tls, side.Transport is StreamTransport { Channel: TlsChannel });
        }
    }

    [Fact]
    public async Task Bytes_ArriveInOrder_AcrossManyWrites()
    {
        await using var fixture = NewFixture();
        var client = new RecordingProtocol();
        var (_, server) = await fixture.ConnectPairAsync(() => new RecordingProtocol(), client, tls: Tls);
        var expected = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7 % 251)).ToArray();

        await client.Transport.Loop.InvokeAsync(() =>
        {
            for (var offset = 0; offset < expected.Length; offset += 997)
            {
                client.Transport.Write(expected.AsSpan(offset, Math.Min(997, expected.Length - offset)));
            }
        }).Within();
        await server.WhenReceived(expected.Length).Within();

        Assert.Equal(expected, server.Received());
    }

    [Fact]
    public async Task EveryProtocolCallback_RunsOnTheConnectionsLoopThread()
    {
        await using var fixture = NewFixture();
        var client = new RecordingProtocol();
        var (_, server) = await fixture.ConnectPairAsync(() => new RecordingProtocol(), client, tls: Tls);
        client.Transport.Write("ping"u8);
        await server.WhenReceived(4).Within();
        client.Transport.LoseConnection();
        await server.Lost.Task.Within();
        await client.Lost.Task.Within();

        foreach (var side in new[] { client, server })
        {
            Assert.True(side.AllCallbacksOnLoopThread, string.Join(",", side.Events));
            Assert.Single(side.CallbackThreads);
            Assert.Same(side.Transport.Loop, side.LoopAtConnect);
            Assert.Equal("made", side.Events[0]);
            Assert.Equal("lost", side.Events[^1]);
            Assert.Equal(1, side.Events.Count(e => e == "lost"));
        }
    }

    [Fact]
    public async Task A64MiBWrite_ArrivesWhole()
    {
        await using var fixture = NewFixture();
        var client = new RecordingProtocol();
        var (_, server) = await fixture.ConnectPairAsync(() => new CountingProtocol(), client, tls: Tls);
        var big = new byte[64 << 20];
        new Random(1).NextBytes(big);

        await client.Transport.Loop.InvokeAsync(() => client.Transport.Write(big)).Within();
        var counting = (CountingProtocol)server;
        await counting.WhenTotal(big.Length).Within();

        Assert.Equal(big.Length, counting.Total);
        Assert.Equal(Checksum(big), counting.Checksum);
    }

    [Fact]
    public async Task LoseConnection_SendsEverythingFirst_ThenReportsAConnectionDone()
    {
        await using var fixture = NewFixture();
        var client = new RecordingProtocol();
        var (_, server) = await fixture.ConnectPairAsync(() => new RecordingProtocol(), client, tls: Tls);
        var payload = new byte[5 << 20];
        new Random(2).NextBytes(payload);

        await client.Transport.Loop.InvokeAsync(() =>
        {
            client.Transport.Write(payload);
            client.Transport.LoseConnection();
            client.Transport.Write("dropped: written after LoseConnection"u8);
        }).Within();

        Assert.IsType<ConnectionDoneException>(await client.Lost.Task.Within());
        Assert.IsType<ConnectionDoneException>(await server.Lost.Task.Within());
        Assert.Equal(payload, server.Received());
    }

    [Fact]
    public async Task AbortConnection_ClosesAtOnce_WithoutSendingWhatIsPending()
    {
        await using var fixture = NewFixture();
        var client = new RecordingProtocol();
        var (_, server) = await fixture.ConnectPairAsync(() => new RecordingProtocol(), client, tls: Tls);

        await client.Transport.Loop.InvokeAsync(() =>
        {
            client.Transport.Write(new byte[1 << 20]);
            client.Transport.AbortConnection();
        }).Within();

        Assert.IsType<ConnectionAbortedException>(await client.Lost.Task.Within());
        var serverReason = await server.Lost.Task.Within();
        Assert.True(server.ReceivedCount < 1 << 20, $"the server got all {server.ReceivedCount} bytes of an aborted write");
        Assert.IsAssignableFrom<ReactorException>(serverReason);
    }

    [Fact]
    public async Task ThePeerClosingMidWrite_FailsTheWriterCleanly_WithConnectionLost()
    {
        await using var fixture = NewFixture();
        var client = new RecordingProtocol();
        var (_, server) = await fixture.ConnectPairAsync(() => new RecordingProtocol(), client, tls: Tls);
        var source = new ReadForeverProducer(client);

        await client.Transport.Loop.InvokeAsync(() =>
        {
            ((IConsumer)client.Transport).RegisterProducer(source);
            source.ResumeProducing();
        }).Within();
        await server.WhenReceived(1 << 20).Within();
        await server.Transport.Loop.InvokeAsync(server.Transport.AbortConnection).Within();

        var reason = await client.Lost.Task.Within();
        Assert.True(reason is ConnectionLostException or ConnectionDoneException, reason.ToString());
        Assert.True(source.Stopped || !client.Connected);
    }

    [Fact]
    public async Task ConnectionRefused_IsTypedAndReachesTheFactory()
    {
        await using var fixture = NewFixture();
        var port = ReactorFixture.FreePort();
        var error = await Assert.ThrowsAsync<ConnectionRefusedException>(() =>
            ClientEndpoint.Tcp(fixture.Reactor, "127.0.0.1", port).Connect(new Factory(() => new RecordingProtocol())).ToTask().Within());
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);

        var factory = new ObservingClientFactory();
        fixture.Reactor.ConnectTcp("127.0.0.1", port, factory);
        var reason = await factory.Failed.Task.Within();
        Assert.IsType<ConnectionRefusedException>(reason);
        Assert.Equal(1, factory.StartedAttempts);
    }

    [Fact]
    public async Task ASlowReader_PausesTheWriter_AndMemoryStaysBounded()
    {
        await using var fixture = NewFixture();
        var options = new TransportOptions { WriteHighWatermark = 256 << 10, WriteLowWatermark = 64 << 10 };
        var client = new RecordingProtocol();
        var (_, server) = await fixture.ConnectPairAsync(() => new PausedReader(), client, options, tls: Tls);
        var reader = (PausedReader)server;
        var producer = new ReadForeverProducer(client, chunk: 64 << 10, limit: 64L << 20);

        await client.Transport.Loop.InvokeAsync(() =>
        {
            ((IConsumer)client.Transport).RegisterProducer(producer);
            producer.ResumeProducing();
        }).Within();
        await producer.FirstPause.Task.Within();
        await server.Transport.Loop.InvokeAsync(reader.StartReading).Within();
        await producer.Finished.Task.Within();
        await server.WhenReceived(64L << 20).Within();

        Assert.True(producer.Pauses >= 1);
        Assert.True(producer.Resumes >= 1);
        Assert.Equal(64L << 20, reader.Total);

        // 64 MiB went through, yet the sender never held more than the high watermark plus the chunk that crossed it.
        Assert.InRange(producer.MaxPending, 1, options.WriteHighWatermark + (64 << 10));
    }

    [Fact]
    public async Task AFrameBeyondTheReadLimit_FailsTheConnection_WithFrameTooLarge()
    {
        await using var fixture = NewFixture();
        var options = new TransportOptions { MaxBufferedReadBytes = 64 << 10 };
        var client = new RecordingProtocol();
        var (_, server) = await fixture.ConnectPairAsync(() => new NeverConsumes(), client, options, tls: Tls);

        await client.Transport.Loop.InvokeAsync(() => client.Transport.Write(new byte[256 << 10])).Within();

        var reason = await server.Lost.Task.Within();
        Assert.IsType<FrameTooLargeException>(reason);
        Assert.Contains("limit 65536", reason.Message);
        await client.Lost.Task.Within();
    }

    [Fact]
    public async Task ProtocolExceptions_CloseOnlyThatConnection()
    {
        await using var fixture = NewFixture();
        var good = new RecordingProtocol();
        var (_, goodServer) = await fixture.ConnectPairAsync(() => new RecordingProtocol(), good, tls: Tls);
        var throwing = new ThrowingServer();
        var throwingPort = fixture.Reactor.ListenTcp(0, new ServerFactory(() => throwing));
        var victim = new RecordingProtocol();
        await ClientEndpoint.Tcp(fixture.Reactor, "127.0.0.1", throwingPort.Port).Connect(new Factory(() => victim)).ToTask().Within();

        victim.Transport.Write("x"u8);
        Assert.IsType<InvalidDataException>(await throwing.Lost.Task.Within());
        await victim.Lost.Task.Within();

        good.Transport.Write("still fine"u8);
        await goodServer.WhenReceived(10).Within();
        Assert.True(good.Connected);
    }

    [Fact]
    public async Task PeerAndHost_AreTheTwoEndsOfTheSocket()
    {
        await using var fixture = NewFixture();
        var client = new RecordingProtocol();
        var (port, server) = await fixture.ConnectPairAsync(() => new RecordingProtocol(), client, tls: Tls);

        Assert.Equal(port.Port, ((IPEndPoint)client.Transport.Peer).Port);
        Assert.Equal(client.Transport.Host, server.Transport.Peer);
        Assert.True(((ITcpTransport)client.Transport).NoDelay);
    }

    private static long Checksum(ReadOnlySpan<byte> data)
    {
        long sum = 0;
        for (var i = 0; i < data.Length; i++)
        {
            sum = (sum * 31) + data[i];
        }

        return sum;
    }

    private sealed class CountingProtocol : RecordingProtocol
    {
        private TaskCompletionSource? _done;
        private long _target;

        public long Total { get; private set; }

        public long Checksum { get; private set; }

        public Task WhenTotal(long target)
        {
            return Transport.Loop.InvokeAsync(() =>
            {
                _target = target;
                _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (Total >= target)
                {
                    _done.SetResult();
                }

                return _done.Task;
            }).Unwrap();
        }

        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            foreach (var segment in data)
            {
                var span = segment.Span;
                var sum = Checksum;
                for (var i = 0; i < span.Length; i++)
                {
                    sum = (sum * 31) + span[i];
                }

                Checksum = sum;
                Total += span.Length;
            }

            if (_done is not null && Total >= _target)
            {
                _done.TrySetResult();
            }

            return data.End;
        }
    }

    /// <summary>Reads nothing until told to, then counts everything.</summary>
    private sealed class PausedReader : RecordingProtocol
    {
        public long Total { get; private set; }

        public override void ConnectionMade()
        {
            ((IPushProducer)Transport).PauseProducing();
            base.ConnectionMade();
        }

        public void StartReading() => ((IPushProducer)Transport).ResumeProducing();

        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            Total += data.Length;
            return base.DataReceived(data);
        }
    }

    private sealed class NeverConsumes : RecordingProtocol
    {
        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data) => data.Start;
    }

    private sealed class ThrowingServer : RecordingProtocol
    {
        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data) =>
            throw new InvalidDataException("this protocol rejects everything");
    }

    /// <summary>Writes chunks as fast as the transport lets it, pausing when told; a Twisted push producer.</summary>
    private sealed class ReadForeverProducer(Protocol target, int chunk = 64 << 10, long limit = long.MaxValue) : IPushProducer
    {
        private readonly byte[] _chunk = new byte[chunk];
        private bool _paused = true;

        public long Written { get; private set; }

        public long MaxPending { get; private set; }

        public int Pauses { get; private set; }

        public int Resumes { get; private set; }

        public bool Stopped { get; private set; }

        public TaskCompletionSource FirstPause { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void PauseProducing()
        {
            _paused = true;
            Pauses++;
            FirstPause.TrySetResult();
        }

        public void ResumeProducing()
        {
            if (Written > 0)
            {
                Resumes++;
            }

            _paused = false;
            target.Transport.Loop.CallFromThread(Produce);
        }

        public void StopProducing() => Stopped = true;

        private void Produce()
        {
            // One chunk per loop turn, so pause requests made during the turn's flush are seen before the next chunk.
            if (_paused || Stopped || !target.Connected || target.Transport.Disconnecting)
            {
                return;
            }

            if (Written >= limit)
            {
                Finished.TrySetResult();
                return;
            }

            target.Transport.Write(_chunk);
            Written += _chunk.Length;
            MaxPending = Math.Max(MaxPending, ((ITcpTransport)target.Transport).PendingWriteBytes);
            target.Transport.Loop.CallFromThread(Produce);
        }
    }

    private sealed class ObservingClientFactory() : ClientFactory(() => new RecordingProtocol())
    {
        public int StartedAttempts { get; private set; }

        public TaskCompletionSource<Exception> Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void StartedConnecting(IConnector connector) => StartedAttempts++;

        public override void ClientConnectionFailed(IConnector connector, Exception reason) => Failed.TrySetResult(reason);
    }
}

/// <summary>The transport tests on loops that poll their sockets with epoll.</summary>
public sealed class TcpTransportOnEpollTests : TcpTransportTests
{
    private protected override bool NativePolling => true;
}

/// <summary>The transport tests on the pipes transport (what TLS and non-Linux platforms use).</summary>
public sealed class TcpTransportOnPipesTests : TcpTransportTests
{
    private protected override bool NativePolling => false;
}

/// <summary>The transport tests under TLS, with TLS over the loops' own epoll transport.</summary>
public sealed class TcpTransportOverTlsOnEpollTests : TcpTransportTests
{
    private protected override bool NativePolling => true;

    private protected override bool Tls => true;
}

/// <summary>The transport tests under TLS, with TLS over the pipes transport.</summary>
public sealed class TcpTransportOverTlsOnPipesTests : TcpTransportTests
{
    private protected override bool NativePolling => false;

    private protected override bool Tls => true;
}

/// <summary>The transport tests on the DotNetty reactor: loops on DotNetty's, connections on DotNetty channels.</summary>
public sealed class TcpTransportOnDotNettyTests : TcpTransportTests
{
    private protected override bool NativePolling => false;

    private protected override string Reactor => "dotnetty";
}


