using ReactiveKv.Amqp;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Clients;

/// <summary>
/// Every backend's options place its client on a loop of the caller's choosing (<see cref="IClientOptions.Loop"/>),
/// so code on that loop calls it with no hop; unset, clients are spread over the reactor's loops.
/// </summary>
public sealed class ClientLoopOptionTests
{
    public static TheoryData<string> Backends => ["redis", "kt", "keyspace", "pegasus", "amqp"];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ClientsGivenALoop_AllRunOnIt(string backend)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 3 });
        var chosen = fixture.Reactor.Loops[1];

        // Three clients on one loop: round-robin placement would have put them on three.
        var loops = new List<EventLoop>();
        for (var i = 0; i < 3; i++)
        {
            var (loop, dispose) = Create(backend, fixture.Reactor, chosen);
            loops.Add(loop);
            await dispose();
        }

        Assert.All(loops, loop => Assert.Same(chosen, loop));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ClientsGivenNoLoop_AreSpreadOverTheReactorsLoops(string backend)
    {
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 3 });

        var loops = new HashSet<EventLoop>();
        for (var i = 0; i < 3; i++)
        {
            var (loop, dispose) = Create(backend, fixture.Reactor, null);
            loops.Add(loop);
            await dispose();
        }

        Assert.Equal(3, loops.Count);
    }

    // Created lazily: nothing connects, so no server is needed to see where a client would run.
    private static (EventLoop Loop, Func<ValueTask> Dispose) Create(string backend, Reactor reactor, EventLoop? loop)
    {
        switch (backend)
        {
            case "redis":
                var redis = RedisClient.Create(reactor, RedisOptions.Parse("redis://127.0.0.1:1") with { Loop = loop });
                return (redis.Loop, redis.DisposeAsync);
            case "kt":
                var kt = KtClient.Create(reactor, KtOptions.Parse("kt://127.0.0.1:1/") with { Loop = loop });
                return (kt.Loop, kt.DisposeAsync);
            case "keyspace":
                var keyspace = KeyspaceClient.Create(reactor, KeyspaceOptions.Parse("keyspace://127.0.0.1:1") with { Loop = loop });
                return (keyspace.Loop, keyspace.DisposeAsync);
            case "pegasus":
                var pegasus = PegasusClient.Create(reactor, PegasusOptions.Parse("pegasus://127.0.0.1:1") with { Loop = loop });
                return (pegasus.Loop, pegasus.DisposeAsync);
            default:
                var amqp = AmqpConnection.Create(reactor, AmqpOptions.Parse("amqp://127.0.0.1:1") with { Loop = loop });
                return (amqp.Loop, amqp.DisposeAsync);
        }
    }
}
