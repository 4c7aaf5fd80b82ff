using System.Net;
using System.Net.Sockets;
using System.Text;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Clients;

/// <summary>
/// A request from a thread that is not the loop, onto an idle loop and a quiet connection, is written and sent by that
/// thread, with no loop wake-up; anything else goes through the loop as before, in each thread's order. Borrowing is
/// the default reactor's: these run on it whatever reactor the test run picked.
/// </summary>
[Trait("Category", "Unit")]
public class ClientConnectionServiceBorrowingTests
{
    [Fact]
    public async Task ARequestFromAnotherThread_OntoAnIdleLoop_IsWrittenByThatThread_WithoutWakingTheLoop()
    {
        await using var toy = await ToyService.StartAsync(reactor: "epoll");
        await toy.Accept();
        Guard.Until(() => toy.Loop.IsParked, "the loop parks");
        var wakeUps = toy.Loop.WakeUps;

        toy.Service.Submit(new ToyRequest("A"));

        Assert.Equal("A\n", toy.Written);
        Assert.Equal(wakeUps, toy.Loop.WakeUps);
        Assert.Equal(1, toy.Loop.BorrowedTurns);
    }

    [Fact]
    public async Task WhileARequestIsInFlight_TheNextArePosted_SoAPipelinedBurstIsWrittenTogether()
    {
        await using var toy = await ToyService.StartAsync(reactor: "epoll");
        await toy.Accept();
        Guard.Until(() => toy.Loop.IsParked, "the loop parks");

        toy.Service.Submit(new ToyRequest("A"));
        toy.Service.Submit(new ToyRequest("B"));
        toy.Service.Submit(new ToyRequest("C"));
        await toy.Settle();

        Assert.Equal("A\nB\nC\n", toy.Written);
        Assert.Equal(1, toy.Loop.BorrowedTurns);
    }

    [Fact]
    public async Task AfterRequestsOverlapped_TheNextIsPosted_AndBorrowingResumesOnceOneWentOutAlone()
    {
        await using var toy = await ToyService.StartAsync(reactor: "epoll");
        await toy.Accept();
        var a = await Borrowable(toy, "A");
        toy.Service.Submit(new ToyRequest("B"));
        await toy.Reply("a\nb\n");
        Assert.Equal(1, toy.Loop.BorrowedTurns);

        // Two were in flight together: the next goes by a post, as overlapping callers' requests are best gathered.
        await Borrowable(toy, "C");
        Assert.Equal(1, toy.Loop.BorrowedTurns);
        await toy.Reply("c\n");

        await Borrowable(toy, "D");
        Assert.Equal(2, toy.Loop.BorrowedTurns);
        Assert.Equal("a", await a.Result.ToTask().Within());
    }

    [Fact]
    public async Task OntoABusyLoop_RequestsArePosted_AndGoOutInOrder()
    {
        await using var toy = await ToyService.StartAsync(reactor: "epoll");
        await toy.Accept();
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        toy.Loop.CallFromThread(() =>
        {
            entered.Set();
            release.Wait();
        });
        entered.Wait(Guard.Timeout);

        toy.Service.Submit(new ToyRequest("A"));
        toy.Service.Submit(new ToyRequest("B"));
        release.Set();
        await toy.Settle();

        Assert.Equal("A\nB\n", toy.Written);
        Assert.Equal(0, toy.Loop.BorrowedTurns);
    }

    [Fact]
    public async Task OverASocket_ACallerAwaitingOneRequestAtATime_SendsEachFromItsOwnThread_WithoutWakingTheLoop()
    {
        using var server = new EchoServer();
        await using var client = await LoopbackClient.ConnectAsync(server.Port);
        var loop = client.Service.Loop;

        for (var i = 0; i < 20; i++)
        {
            Guard.Until(() => loop.IsParked, "the loop parks");
            var (wakeUps, borrowed) = (loop.WakeUps, loop.BorrowedTurns);
            var request = new ToyRequest($"line{i}");

            client.Service.Submit(request);

            Assert.Equal(borrowed + 1, loop.BorrowedTurns);
            Assert.Equal(wakeUps, loop.WakeUps);
            Assert.Equal($"line{i}", await request.Result.ToTask().Within());
        }
    }

    [Fact]
    public async Task ManyThreads_AwaitingOneAtATime_OrPipelining_WhileTheLoopWorks_EachGetTheirOwnReplies_InTheirOrder()
    {
        const int Sequential = 6;
        const int Pipelining = 2;
        const int PerThread = 300;
        using var server = new EchoServer();
        await using var client = await LoopbackClient.ConnectAsync(server.Port);
        var loop = client.Service.Loop;
        using var stop = new CancellationTokenSource();

        // Keeps the loop alternating between busy turns and parking, so requests meet it in every state.
        var busy = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await loop.InvokeAsync(() => Thread.SpinWait(500));
            }
        });
        var sequential = Enumerable.Range(0, Sequential).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                var request = new ToyRequest($"s{t}:{i}");
                client.Service.Submit(request);
                Assert.Equal(request.Line, await request.Result);
            }
        }));
        var pipelining = Enumerable.Range(0, Pipelining).Select(t => Task.Run(async () =>
        {
            for (var burst = 0; burst < PerThread / 30; burst++)
            {
                var requests = Enumerable.Range(burst * 30, 30).Select(i => new ToyRequest($"p{t}:{i}")).ToList();
                requests.ForEach(r => client.Service.Submit(r));
                foreach (var request in requests)
                {
                    Assert.Equal(request.Line, await request.Result);
                }
            }
        }));
        await Task.WhenAll(sequential.Concat(pipelining)).Within();
        await stop.CancelAsync();
        await busy.Within();

        var lines = server.Received.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal((Sequential + Pipelining) * PerThread, lines.Length);
        foreach (var prefix in Enumerable.Range(0, Sequential).Select(t => $"s{t}:").Concat(Enumerable.Range(0, Pipelining).Select(t => $"p{t}:")))
        {
            Assert.Equal(Enumerable.Range(0, PerThread).Select(i => prefix + i), lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }

    /// <summary>Submits from this thread once the loop is parked, so the request is borrowed if the connection allows it.</summary>
    private static async Task<ToyRequest> Borrowable(ToyService toy, string line)
    {
        Guard.Until(() => toy.Loop.IsParked, "the loop parks");
        var request = new ToyRequest(line);
        toy.Service.Submit(request);
        await toy.Settle();
        return request;
    }

    /// <summary>The toy client over a real loopback socket, on a reactor of its own with one loop and no request deadlines.</summary>
    private sealed class LoopbackClient : IAsyncDisposable
    {
        private LoopbackClient(Reactor reactor, int port)
        {
            Reactor = reactor;
            Service = new ClientConnectionService<ToyLineProtocol, ToyRequest>(
                reactor,
                new ClientConnectionOptions { OperationTimeout = Timeout.InfiniteTimeSpan },
                new ClientErrors("Toy"),
                $"127.0.0.1:{port}",
                (factory, loop) => reactor.ConnectTcp("127.0.0.1", port, factory, Guard.Timeout, loop: loop),
                () => new ToyLineProtocol());
        }

        public Reactor Reactor { get; }

        public ClientConnectionService<ToyLineProtocol, ToyRequest> Service { get; }

        public static async Task<LoopbackClient> ConnectAsync(int port)
        {
            var reactor = new Reactor(TestReactors.On("epoll", new ReactorOptions { LoopCount = 1 }));
            reactor.Start();
            var client = new LoopbackClient(reactor, port);
            await client.Service.ConnectAsync().Within();
            return client;
        }

        public async ValueTask DisposeAsync()
        {
            await Service.DisposeAsync();
            await Reactor.DisposeAsync();
        }
    }

    /// <summary>A plain blocking-socket server for one connection that sends back every byte it receives, and keeps them.</summary>
    private sealed class EchoServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly StringBuilder _received = new();

        public EchoServer()
        {
            _listener.Start();
            new Thread(Serve) { IsBackground = true, Name = "echo" }.Start();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public string Received
        {
            get
            {
                lock (_received)
                {
                    return _received.ToString();
                }
            }
        }

        public void Dispose() => _listener.Stop();

        private void Serve()
        {
            try
            {
                using var socket = _listener.AcceptSocket();
                socket.NoDelay = true;
                var buffer = new byte[64 << 10];
                int read;
                while ((read = socket.Receive(buffer)) > 0)
                {
                    lock (_received)
                    {
                        _received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    for (var sent = 0; sent < read;)
                    {
                        sent += socket.Send(buffer, sent, read - sent, SocketFlags.None);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The listener was stopped or the client went away: the test is over.
            }
        }
    }
}
