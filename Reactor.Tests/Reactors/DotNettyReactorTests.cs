using System.Buffers;
using System.Text;
using DotNetty.Buffers;
using DotNetty.Common;
using DotNetty.Common.Internal.Logging;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Microsoft.Extensions.Logging;
using ReactiveKv.DotNetty;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Reactors;

/// <summary>What only the DotNetty reactor has: its buffers (none leaked), and embedding in an application's DotNetty server.</summary>
[Collection(nameof(DotNettyGlobalsCollection))]
public sealed class DotNettyReactorTests
{
    [Fact]
    public async Task ConnectCloseCycles_AndManyMessages_LeaveNoBufferUnreleased()
    {
        // No thread caches, so every buffer freed goes back to its arena and the arena's count of live ones reaches 0.
        var allocator = new PooledByteBufferAllocator(true, 1, 1, 8192, 11, 0, 0, 0);
        var leaks = new LeakLog();
        var previousAllocator = DotNettyChannels.Allocator;
        var previousLevel = ResourceLeakDetector.Level;
        var previousLogging = InternalLoggerFactory.DefaultFactory;
        DotNettyChannels.Allocator = allocator;
        ResourceLeakDetector.Level = ResourceLeakDetector.DetectionLevel.Paranoid;
        InternalLoggerFactory.DefaultFactory = leaks;
        try
        {
            await using (var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2 }, "dotnetty"))
            {
                var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new Echo()));
                // The figures: 10,000 connect/close cycles, then 1,000,000 messages.
                for (var i = 0; i < 10_000; i++)
                {
                    var client = new RecordingProtocol();
                    await ClientEndpoint.Tcp(fixture.Reactor, "127.0.0.1", port.Port).Connect(new Factory(() => client)).ToTask().Within();
                    await client.Transport.Loop.InvokeAsync(() =>
                    {
                        client.Transport.Write("x"u8);
                        client.Transport.LoseConnection();
                    }).Within();
                    await client.Lost.Task.Within();
                }

                var streamer = new Counting();
                await ClientEndpoint.Tcp(fixture.Reactor, "127.0.0.1", port.Port).Connect(new Factory(() => streamer)).ToTask().Within();
                const int Messages = 1_000_000;
                await streamer.Transport.Loop.InvokeAsync(() =>
                {
                    for (var i = 0; i < Messages; i++)
                    {
                        streamer.Transport.Write("0123456789abcdef"u8);
                    }
                }).Within();
                await streamer.WhenReceived(Messages * 16L).Within();
                await fixture.Reactor.StopAsync().Within();
            }

            Guard.Until(() => Active(allocator) == 0, $"every pooled buffer released (live: {Active(allocator)})");
            GC.Collect();
            GC.WaitForPendingFinalizers();

            // The detector reports collected, unreleased buffers when it tracks the next ones.
            for (var i = 0; i < 100; i++)
            {
                allocator.Buffer(16).Release();
            }

            Assert.Empty(leaks.Reports);
        }
        finally
        {
            DotNettyChannels.Allocator = previousAllocator;
            ResourceLeakDetector.Level = previousLevel;
            InternalLoggerFactory.DefaultFactory = previousLogging;
        }
    }

    [Fact]
    public async Task AnEchoedSequence_GoesBackAsTheReceivedBuffer_WithNoWriteBufferOfItsOwn()
    {
        // Heap buffers are what the transports allocate to write into (received ones come from the channel's read
        // allocation): 100 echoes one at a time allocate the client's 100, and none on the server, which writes back
        // slices of what it read. Without sharing the server would allocate 100 more.
        var allocator = new PooledByteBufferAllocator(true, 1, 1, 8192, 11, 0, 0, 0);
        var previousAllocator = DotNettyChannels.Allocator;
        DotNettyChannels.Allocator = allocator;
        try
        {
            await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1 }, "dotnetty");
            var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new Echo()));
            var client = new RecordingProtocol();
            await ClientEndpoint.Tcp(fixture.Reactor, "127.0.0.1", port.Port).Connect(new Factory(() => client)).ToTask().Within();
            var before = HeapAllocations(allocator);
            for (var i = 1; i <= 100; i++)
            {
                await client.Transport.Loop.InvokeAsync(() => client.Transport.Write("0123456789abcdef"u8)).Within();
                await client.WhenReceived(16L * i).Within();
            }

            var allocated = HeapAllocations(allocator) - before;
            Assert.InRange(allocated, 100, 110);
        }
        finally
        {
            DotNettyChannels.Allocator = previousAllocator;
        }
    }

    [Fact]
    public async Task AnApplicationsDotNettyServer_CallsAClient_OnItsOwnLoop()
    {
        // Two loops, one client per loop (KtOptions.Loop): each handler calls the client of its channel's loop, so the
        // lookup is written and answered on the handler's own thread, whichever loop DotNetty put the channel on.
        var group = new MultithreadEventLoopGroup(2);
        try
        {
            var reactor = new Reactor(new ReactorOptions { Backend = new DotNettyReactorBackend(group) });
            reactor.Start();
            await using var kv = await KtServer.StartAsync(reactor);
            var options = KtOptions.Parse($"kt://127.0.0.1:{kv.Address.Port}/");
            var clients = new Dictionary<EventLoop, KtClient>();
            for (var i = 0; i < reactor.Loops.Count; i++)
            {
                clients[reactor.Loops[i]] = await KtClient.ConnectAsync(reactor, options with { Loop = reactor.Loops[i] });
            }

            await clients.Values.First().Set(Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("v")).ToTask().Within();
            var answers = new List<TaskCompletionSource<(string Value, bool OnLoop)>>();
            var server = await new ServerBootstrap()
                .Group(group)
                .Channel<TcpServerSocketChannel>()
                .ChildHandler(new ActionChannelInitializer<IChannel>(ch =>
                {
                    var answer = new TaskCompletionSource<(string, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
                    lock (answers)
                    {
                        answers.Add(answer);
                    }

                    ch.Pipeline.AddLast(new LookupHandler(reactor, clients, answer));
                }))
                .BindAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            var sockets = new List<System.Net.Sockets.Socket>();
            for (var i = 0; i < 4; i++)
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(server.LocalAddress);
                await socket.SendAsync("k"u8.ToArray());
                sockets.Add(socket);
            }

            Guard.Until(() => { lock (answers) { return answers.Count == 4; } }, "four channels accepted");
            foreach (var answer in answers)
            {
                var (value, onLoop) = await answer.Task.Within();
                Assert.Equal("v", value);
                Assert.True(onLoop, "the lookup's result came back on the handler's own DotNetty loop");
            }

            sockets.ForEach(s => s.Dispose());
            await server.CloseAsync();
            foreach (var client in clients.Values)
            {
                await client.DisposeAsync();
            }

            await reactor.StopAsync().Within();
        }
        finally
        {
            await group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task AClientsLoop_MustBeOneOfItsReactors()
    {
        await using var one = new ReactorFixture(new ReactorOptions { LoopCount = 1 });
        await using var other = new ReactorFixture(new ReactorOptions { LoopCount = 1 });

        var error = Assert.Throws<ArgumentException>(() => KtClient.Create(one.Reactor, new KtOptions { Loop = other.Reactor.Loops[0] }));
        Assert.Contains("not one of this reactor's loops", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDotNettyGatewayExample_AnswersEveryLineWithALookup()
    {
        var output = new StringWriter();
        var code = await new ReactiveKv.Examples.DotNetty.DotNettyGatewayExample()
            .RunAsync(new ReactiveKv.Examples.Catalog.ExampleArgs { SelfTest = true }, output, CancellationToken.None)
            .Within();

        Assert.True(code == 0, output.ToString());
        Assert.Contains("reactor dotnetty", output.ToString(), StringComparison.Ordinal);
    }

    private static long HeapAllocations(PooledByteBufferAllocator allocator) =>
        allocator.Metric.HeapArenas().Sum(a => a.NumAllocations);

    private static long Active(PooledByteBufferAllocator allocator) =>
        allocator.Metric.HeapArenas().Concat(allocator.Metric.DirectArenas()).Sum(a => a.NumActiveAllocations);

    private sealed class LookupHandler(Reactor reactor, Dictionary<EventLoop, KtClient> clients, TaskCompletionSource<(string, bool)> answer) : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            var buffer = (IByteBuffer)message;
            var key = buffer.ToString(Encoding.UTF8);
            buffer.Release();

            // On the handler's thread, which is the reactor loop's: its own loop's client is called with no hop.
            var kt = clients[DotNettyReactorBackend.LoopOf(reactor, context.Channel.EventLoop)];
            kt.Get(Encoding.UTF8.GetBytes(key)).Subscribe(
                v => answer.TrySetResult((Encoding.UTF8.GetString(v!.Value), context.Channel.EventLoop.InEventLoop)),
                e => answer.TrySetException(e));
        }
    }

    private sealed class Echo : Protocol
    {
        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            Transport.WriteSequence(data);
            return data.End;
        }
    }

    private sealed class Counting : RecordingProtocol
    {
    }

    // Collects what DotNetty logs at error level: the leak detector's "LEAK:" reports.
    private sealed class LeakLog : ILoggerFactory, ILoggerProvider, ILogger
    {
        public List<string> Reports { get; } = [];

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (text.Contains("LEAK", StringComparison.Ordinal))
            {
                lock (Reports)
                {
                    Reports.Add(text);
                }
            }
        }
    }
}
