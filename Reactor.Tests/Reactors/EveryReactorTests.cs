using System.Buffers;
using System.Reactive.Linq;
using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Reactors;

/// <summary>
/// One test, run once per reactor (Twisted's ReactorBuilder): the loop, timers and Rx scheduler, TCP and Unix echo,
/// clean shutdown, and backend clients against their embedded servers. The reactor is the theory's argument, so a
/// failure names it.
/// </summary>
public sealed class EveryReactorTests
{
    public static TheoryData<string> Reactors => TestReactors.Kinds;

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task CallFromThread_RunsInOrder_OnTheLoopThread(string reactor)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2 }, reactor);
        var loop = fixture.Reactor.MainLoop;
        var seen = new List<int>();
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < 1000; i++)
        {
            var n = i;
            loop.CallFromThread(() =>
            {
                seen.Add(n);
                if (!loop.IsLoopThread || EventLoop.Current != loop)
                {
                    done.TrySetException(new InvalidOperationException("off the loop thread"));
                }

                if (n == 999)
                {
                    done.TrySetResult(true);
                }
            });
        }

        await done.Task.Within();
        Assert.Equal(Enumerable.Range(0, 1000), seen);
        Assert.Equal(reactor == "dotnetty", loop.IsHosted);
    }

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task CallLater_FiresInDueOrder_AndACancelledCallNever(string reactor)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1 }, reactor);
        var order = new List<string>();
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await fixture.Reactor.MainLoop.InvokeAsync(() =>
        {
            fixture.Reactor.CallLater(TimeSpan.FromMilliseconds(60), () =>
            {
                order.Add("60");
                done.TrySetResult(true);
            });
            fixture.Reactor.CallLater(TimeSpan.FromMilliseconds(20), () => order.Add("20"));
            var cancelled = fixture.Reactor.CallLater(TimeSpan.FromMilliseconds(10), () => order.Add("cancelled"));
            fixture.Reactor.CallLater(TimeSpan.FromMilliseconds(40), () => order.Add("40"));
            cancelled.Cancel();
        }).Within();

        await done.Task.Within();
        Assert.Equal(["20", "40", "60"], order);
    }

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task TheRxScheduler_RunsTimersOnTheLoop(string reactor)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1 }, reactor);
        var threads = new List<bool>();
        var ticks = await Observable.Interval(TimeSpan.FromMilliseconds(5), fixture.Reactor)
            .Do(_ => threads.Add(fixture.Reactor.MainLoop.IsLoopThread))
            .Take(5)
            .ToList()
            .ToTask()
            .Within();

        Assert.Equal([0L, 1, 2, 3, 4], ticks);
        Assert.All(threads, Assert.True);
    }

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task AReactor_StopsAndStartsAgain(string reactor)
    {
        var instance = new Reactor(TestReactors.On(reactor, new ReactorOptions { LoopCount = 1 }));
        for (var run = 0; run < 3; run++)
        {
            instance.Start();
            Assert.True(await instance.MainLoop.InvokeAsync(() => instance.MainLoop.IsLoopThread).Within());
            await instance.StopAsync().Within();
            Assert.True(instance.MainLoop.Completion.IsCompleted);
        }
    }

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task TcpEcho_ManyClients_ManyMessages(string reactor)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2 }, reactor);
        var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new Echo()));
        var clients = new List<RecordingProtocol>();
        for (var i = 0; i < 8; i++)
        {
            var client = new RecordingProtocol();
            await ClientEndpoint.Tcp(fixture.Reactor, "127.0.0.1", port.Port).Connect(new Factory(() => client)).ToTask().Within();
            clients.Add(client);
        }

        var message = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        foreach (var client in clients)
        {
            await client.Transport.Loop.InvokeAsync(() =>
            {
                for (var i = 0; i < 100; i++)
                {
                    client.Transport.Write(message);
                }
            }).Within();
        }

        foreach (var client in clients)
        {
            await client.WhenReceived(100 * message.Length).Within();
            Assert.Equal(Enumerable.Repeat(message, 100).SelectMany(m => m), client.Received());
        }
    }

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task UnixSocketEcho_Works(string reactor)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1 }, reactor);
        var path = Path.Combine(Path.GetTempPath(), $"rkv-{Guid.NewGuid():N}.sock");
        var port = fixture.Reactor.ListenUnix(path, new ServerFactory(() => new Echo()));
        var client = new RecordingProtocol();
        fixture.Reactor.ConnectUnix(path, new ClientFactory(() => client));
        await client.Made.Task.Within();
        await client.Transport.Loop.InvokeAsync(() => client.Transport.Write("unix"u8)).Within();
        await client.WhenReceived(4).Within();

        Assert.Equal("unix", Encoding.ASCII.GetString(client.Received()));
        await port.StopListening().ToTask().Within();
    }

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task Stop_WithOpenConnections_EndsWithinASecond(string reactor)
    {
        var instance = new Reactor(TestReactors.On(reactor, new ReactorOptions { LoopCount = 2 }));
        instance.Start();
        var port = instance.ListenTcp(0, new ServerFactory(() => new Echo()));
        var client = new RecordingProtocol();
        await ClientEndpoint.Tcp(instance, "127.0.0.1", port.Port).Connect(new Factory(() => client)).ToTask().Within();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await instance.StopAsync().Within();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"stopping took {watch.Elapsed}");
        Assert.IsType<ConnectionDoneException>(await client.Lost.Task.Within());
    }

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task KyotoTycoon_ClientAndEmbeddedServer(string reactor)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2 }, reactor);
        await using var server = await KtServer.StartAsync(fixture.Reactor);
        await using var kt = await KtClient.ConnectAsync(fixture.Reactor, $"kt://127.0.0.1:{server.Address.Port}/");

        for (var i = 0; i < 50; i++)
        {
            await kt.Set(B($"k{i}"), B(new string('v', i * 100))).ToTask().Within();
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(new string('v', i * 100), Encoding.UTF8.GetString((await kt.Get(B($"k{i}")).ToTask().Within())!.Value));
        }
    }

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task Pegasus_ClientAndEmbeddedServer(string reactor)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1 }, reactor);
        await using var server = await PegasusServer.StartAsync(fixture.Reactor);
        await using var pegasus = await PegasusClient.ConnectAsync(fixture.Reactor, $"pegasus://{server.MetaList}/temp");
        var table = await pegasus.OpenTable().ToTask().Within();

        await table.Set(B("h"), B("s"), B("v")).ToTask().Within();
        Assert.Equal("v", Encoding.UTF8.GetString((await table.Get(B("h"), B("s")).ToTask().Within())!));
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private sealed class Echo : Protocol
    {
        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            Transport.WriteSequence(data);
            return data.End;
        }
    }
}
