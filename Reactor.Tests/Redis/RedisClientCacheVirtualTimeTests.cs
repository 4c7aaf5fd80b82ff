using System.Text.RegularExpressions;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Clients;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

/// <summary>
/// The client cache over a string transport on virtual time: the test is the server, so it can put an invalidation
/// exactly between a GET and its reply, and drop the connection with a GET in flight.
/// </summary>
[Trait("Category", "Unit")]
public partial class RedisClientCacheVirtualTimeTests
{
    [Fact]
    public async Task AnInvalidationReadBeforeAGetsReply_DoesNotKeepThatReplyOut_ForTheServerWroteItBeforeRunningTheGet()
    {
        await using var net = new VirtualNetwork();
        await using var redis = RedisClient.Create(net.Reactor, Options(net));
        var first = redis.Db.Get("a");
        await HandshakeAsync(net);
        Assert.Equal(1, Gets(net));

        // Pushes and replies share the connection in the order the server wrote them: this push is for a write the
        // server ran before our GET, whose reply therefore already shows it.
        await net.Reply(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\na\r\n$3\r\nnew\r\n");
        Assert.Equal("new", await first.ToTask().Within());
        Assert.Equal((1, 1L), (redis.Cache!.Entries, redis.Cache.Invalidations));

        var second = redis.Db.Get("a");
        Assert.True(second.Called, "a stored reply answers the next GET at once");
        Assert.Equal("new", await second.ToTask().Within());
        await net.Settle();
        Assert.Equal(1, Gets(net));

        // One pushed after the reply drops the entry: the next GET asks again.
        await net.Reply(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\na\r\n");
        var third = redis.Db.Get("a");
        await net.Settle();
        Assert.False(third.Called);
        Assert.Equal(2, Gets(net));
        await net.Reply("$6\r\nnewest\r\n");
        Assert.Equal("newest", await third.ToTask().Within());
        Assert.Equal((1L, 2L), (redis.Cache.Hits, redis.Cache.Misses));
    }

    [Fact]
    public async Task AWriteOfOursAnsweredWhileAGetIsInFlight_KeepsThatGetsReplyOut()
    {
        // Our writes may go on other connections (leases, dedicated), not ordered with this GET: its reply may predate them.
        await using var net = new VirtualNetwork();
        await using var redis = RedisClient.Create(net.Reactor, Options(net));
        var set = redis.Db.Set("a", "1");
        var get = redis.Db.Get("a");
        await HandshakeAsync(net);
        await net.Reply("+OK\r\n$1\r\n1\r\n");
        Assert.True(await set.ToTask().Within());
        Assert.Equal("1", await get.ToTask().Within());
        Assert.Equal(0, redis.Cache!.Entries);
        Assert.False(redis.Db.Get("a").Called);
    }

    [Fact]
    public async Task AnInvalidationOfAnotherKey_LeavesTheGetInFlightToBeCached()
    {
        await using var net = new VirtualNetwork();
        await using var redis = RedisClient.Create(net.Reactor, Options(net));
        var first = redis.Db.Get("a");
        await HandshakeAsync(net);
        await net.Reply(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nb\r\n$1\r\nx\r\n");
        Assert.Equal("x", await first.ToTask().Within());
        Assert.Equal(1, redis.Cache!.Entries);
        Assert.True(redis.Db.Get("a").Called);
    }

    [Fact]
    public async Task AnInvalidationAfterTheReply_DropsTheEntry_AndANullOneDropsEverything()
    {
        await using var net = new VirtualNetwork();
        await using var redis = RedisClient.Create(net.Reactor, Options(net));
        var a = redis.Db.Get("a");
        var b = redis.Db.Get("b");
        await HandshakeAsync(net);
        await net.Reply("$1\r\n1\r\n$1\r\n2\r\n");
        Assert.Equal(("1", "2"), (await a.ToTask().Within(), await b.ToTask().Within()));
        Assert.Equal(2, redis.Cache!.Entries);

        await net.Reply(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\na\r\n");
        Assert.Equal(1, redis.Cache.Entries);
        Assert.False(redis.Db.Get("a").Called);
        Assert.True(redis.Db.Get("b").Called);

        await net.Reply(">2\r\n$10\r\ninvalidate\r\n_\r\n");
        Assert.Equal(0, redis.Cache.Entries);
        Assert.False(redis.Db.Get("b").Called);
    }

    [Fact]
    public async Task ALoss_EmptiesTheCache_AndAGetInFlightThenIsNotCached()
    {
        await using var net = new VirtualNetwork();
        await using var redis = RedisClient.Create(net.Reactor, Options(net) with
        {
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 },
        });
        var a = redis.Db.Get("a");
        await HandshakeAsync(net);
        await net.Reply("$1\r\n1\r\n");
        Assert.Equal("1", await a.ToTask().Within());
        Assert.Equal(1, redis.Cache!.Entries);

        var inFlight = redis.Db.Get("b");
        await net.Settle();
        await net.OnLoop(() => net.Connector.Drop());
        await Assert.ThrowsAsync<RedisConnectionException>(() => inFlight.ToTask().Within());
        Assert.Equal(0, redis.Cache.Entries);

        // The next connection turns tracking on again before any GET is written on it.
        var again = redis.Db.Get("a");
        Assert.False(again.Called);
        await net.Advance(TimeSpan.FromMilliseconds(100));
        await HandshakeAsync(net);
        Assert.Matches(TrackingThenGet(), net.Written);
        await net.Reply("$1\r\n2\r\n");
        Assert.Equal("2", await again.ToTask().Within());
        Assert.True(redis.Db.Get("a").Called);
    }

    [Fact]
    public async Task AWriteReply_MakesTheCacheForgetItsKeys_BeforeTheCallerSeesIt()
    {
        // Redis 7 sends the invalidation of a client's own write after the write's reply.
        await using var net = new VirtualNetwork();
        await using var redis = RedisClient.Create(net.Reactor, Options(net));
        var a = redis.Db.Get("a");
        await HandshakeAsync(net);
        await net.Reply("$1\r\n1\r\n");
        Assert.Equal("1", await a.ToTask().Within());

        var set = redis.Db.Set("a", "2");
        await net.Settle();
        await net.Reply("+OK\r\n");
        Assert.True(await set.ToTask().Within());
        Assert.Equal(0, redis.Cache!.Entries);
        Assert.False(redis.Db.Get("a").Called);
    }

    private static RedisOptions Options(VirtualNetwork net) => new()
    {
        ConnectWith = net.Connector.Connect,
        OperationTimeout = TimeSpan.FromSeconds(5),
        ClientCache = new RedisClientCacheOptions(),
    };

    /// <summary>Plays the server's side of HELLO 3 and CLIENT TRACKING ON.</summary>
    private static async Task HandshakeAsync(VirtualNetwork net)
    {
        await net.Settle();
        await net.Accept();
        await net.Reply("%1\r\n$6\r\nserver\r\n$5\r\nredis\r\n");
        Assert.Contains("$8\r\nTRACKING\r\n$2\r\nON\r\n", net.Written, StringComparison.Ordinal);
        await net.Reply("+OK\r\n");
    }

    private static int Gets(VirtualNetwork net) => Regex.Matches(net.Written, "\\$3\r\nGET\r\n").Count;

    [GeneratedRegex("TRACKING\r\n\\$2\r\nON\r\n\\*2\r\n\\$3\r\nGET\r\n\\$1\r\na\r\n$")]
    private static partial Regex TrackingThenGet();
}
