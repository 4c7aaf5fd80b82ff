using System.Diagnostics;
using System.Reflection;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Redis.RedisFixture;

namespace ReactiveKv.Tests.Redis;

/// <summary>
/// The client's operation surface as interfaces (<see cref="IRedisClient"/>, <see cref="IRedisDatabase"/>, ...): code
/// written against them runs on a fake with no server and on the real client alike; every command takes a
/// <see cref="CancellationToken"/>, and cancelling one call fails that call only.
/// </summary>
[Collection("redis")]
public class RedisInterfaceTests(RedisFixture fixture)
{
    /// <summary>A user's code, written against the interfaces only.</summary>
    private static class VisitCounter
    {
        public const int Database = 2;

        public static async Task<long> RecordAsync(IRedisClient redis, string page, CancellationToken cancellationToken = default)
        {
            var db = redis.Database(Database);
            var count = await db.Incr($"{page}:visits", cancellationToken);
            if (count == 1)
            {
                await db.Set($"{page}:first", "seen", TimeSpan.FromMinutes(10), cancellationToken: cancellationToken);
            }

            return count;
        }
    }

    [Fact]
    public async Task UserCode_RunsAgainstAFake_WithNoServer()
    {
        var fake = FakeRedis.Create();

        Assert.Equal(1, await VisitCounter.RecordAsync(fake.Client, "home"));
        Assert.Equal(2, await VisitCounter.RecordAsync(fake.Client, "home"));
        Assert.Equal(1, await VisitCounter.RecordAsync(fake.Client, "about"));

        Assert.Equal("2", fake.Data["home:visits"]);
        Assert.Equal("seen", fake.Data["home:first"]);
        Assert.Equal(["Database", "Incr", "Set", "Database", "Incr", "Database", "Incr", "Set"], fake.Calls);
        Assert.Equal([VisitCounter.Database, VisitCounter.Database, VisitCounter.Database], fake.Databases);
    }

    [Fact]
    public async Task AFake_SeesTheTokenTheUserCodePasses()
    {
        var fake = FakeRedis.Create();
        using var cts = new CancellationTokenSource();

        await VisitCounter.RecordAsync(fake.Client, "home", cts.Token);

        Assert.All(fake.Tokens, token => Assert.Equal(cts.Token, token));
        Assert.Equal(2, fake.Tokens.Count);
    }

    [Fact]
    public async Task UserCode_RunsAgainstTheRealClient_ThroughTheInterfaces()
    {
        IRedisClient redis = fixture.Client;
        var page = Key("page");

        Assert.Equal(1, await VisitCounter.RecordAsync(redis, page).Within());
        Assert.Equal(2, await VisitCounter.RecordAsync(redis, page).Within());

        // Written in the database the code chose, with the expiry it asked for.
        var db = fixture.Client.Database(VisitCounter.Database);
        Assert.Equal("2", await db.Get($"{page}:visits"));
        Assert.Equal("seen", await db.Get($"{page}:first"));
        Assert.InRange(await db.Ttl($"{page}:first"), 1, 600);
        Assert.Null(await fixture.Client.Db.Get($"{page}:visits"));
    }

    [Fact]
    public async Task TransactionsBatchesLeasesAndWatch_WorkThroughTheInterfaces()
    {
        IRedisClient redis = fixture.Client;
        var counter = Key("counter");
        var other = Key("other");

        using (var transaction = redis.Multi())
        {
            var first = transaction.Incr(counter);
            var second = transaction.IncrBy(counter, 10);
            Assert.Equal(2, transaction.Count);
            Assert.True(await transaction.Execute().ToTask().Within());
            Assert.Equal((1L, 11L), (await first, await second));
        }

        var batch = redis.Batch();
        var set = batch.Set(other, "x");
        var got = batch.Get(counter);
        await batch.Execute().ToTask().Within();
        Assert.True(await set);
        Assert.Equal("11", await got);

        var before = await redis.WatchAsync([counter], async (lease, transaction) =>
        {
            var value = await lease.Get(counter);
            _ = transaction.Set(counter, "100");
            return value;
        }).Within();
        Assert.Equal("11", before);
        Assert.Equal("100", await redis.Db.Get(counter));

        await using (var lease = await redis.LeaseAsync().Within())
        {
            Assert.Equal("x", await lease.Get(other));
        }

        var db = redis.Db.WithTimeout(TimeSpan.FromSeconds(10));
        Assert.Equal([counter], (await db.ScanAsync(counter).ToListAsync()).ToArray());
    }

    [Fact]
    public async Task APreCancelledToken_FailsTheCall_WithOperationCanceled()
    {
        IRedisDatabase db = fixture.Client.Db;
        var key = Key("k");
        await db.Set(key, "v");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await db.Get(key, new CancellationToken(true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await db.MGet([key, key], new CancellationToken(true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await fixture.Client.BLPopAsync([Key("list")], TimeSpan.FromSeconds(5), new CancellationToken(true)));

        // Nothing was sent: a pre-cancelled write leaves the key as it was, and a transaction sends nothing.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await db.Set(key, "changed", cancellationToken: new CancellationToken(true)));
        var transaction = fixture.Client.Multi();
        var queued = transaction.Set(key, "changed too");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await transaction.Execute(cancellationToken: new CancellationToken(true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queued);

        // The connection is fine and the next call has its own answer.
        Assert.Equal("v", await db.Get(key).ToTask().Within());
    }

    [Fact]
    public async Task CancellingABlockedCommand_FailsThatCallOnly_AndLaterRepliesStayInStep()
    {
        // A client of its own: its one shared connection is blocked by BLPOP for everyone while it waits.
        // Its operation timeout outlasts the BLPOP, so nothing here ends by a timeout.
        var options = RedisOptions.Parse(fixture.Server.Url) with { OperationTimeout = TimeSpan.FromSeconds(20) };
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, options).Within();
        IRedisClient redis = client;
        var db = redis.Db;
        var (one, two) = (Key("one"), Key("two"));
        await db.MSet(new KeyValuePair<RedisValue, RedisValue>[] { new(one, "1"), new(two, "2") }, CancellationToken.None);
        using var cts = new CancellationTokenSource();

        // BLPOP on an empty list holds the connection for 4s; the GETs are pipelined behind it.
        var blocked = db.Execute("BLPOP", [Key("empty"), 4], cts.Token);
        var first = db.Get(one);
        var second = db.Get(two);
        var clock = Stopwatch.StartNew();
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await blocked);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"cancelled after {clock.Elapsed}");
        Assert.False(first.Called);

        // BLPOP's null reply, when it comes, is matched to the cancelled call and dropped: each GET gets its own value.
        Assert.Equal("1", await first.ToTask().Within());
        Assert.Equal("2", await second.ToTask().Within());
        Assert.Equal("PONG", await db.Ping());
        Assert.True(redis.IsConnected);
        Assert.Equal(ClientConnectionState.Connected, redis.ConnectionState);
    }

    [Fact]
    public async Task CancellingADedicatedBlockingCall_LeavesTheClientWorking()
    {
        IRedisClient redis = fixture.Client;
        var list = Key("list");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => redis.BLPopAsync([list], TimeSpan.FromSeconds(10), cts.Token)).Within();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancelled after {clock.Elapsed}");

        // The cancelled BLPOP's connection is not handed to the next caller: it would be waiting on the old pop.
        await redis.Db.RPush(list, "a");
        var popped = await redis.BLPopAsync([list], TimeSpan.FromSeconds(5)).Within();
        Assert.Equal(new KeyValuePair<string, string>(list, "a"), popped);
        Assert.Equal(0, await redis.Db.LLen(list));
    }

    [Fact]
    public async Task ParamsCommands_HaveAnOverloadTakingTheArrayAndAToken()
    {
        IRedisDatabase db = fixture.Client.Db;
        var (a, b, list) = (Key("a"), Key("b"), Key("list"));
        using var cts = new CancellationTokenSource();

        Assert.True(await db.MSet(new List<KeyValuePair<RedisValue, RedisValue>> { new(a, "1"), new(b, "2") }, cts.Token));
        Assert.Equal(new[] { "1", "2", null }, await db.MGet([a, b, Key("missing")], cts.Token));
        Assert.Equal(3, await db.RPush(list, ["x", "y", "z"], cts.Token));
        Assert.Equal("PONG", (await db.Execute("PING", [], cts.Token)).ToString());
        Assert.Equal(2, await db.Del([a, b], cts.Token));

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await db.LPush(list, ["w"], cts.Token));
        Assert.Equal(new[] { "x", "y", "z" }, await db.LRange(list, 0, -1));
    }

    /// <summary>
    /// A fake a user might write in a few lines: <see cref="DispatchProxy"/> answers the interface's calls from a
    /// dictionary (GET, SET, INCR, and <see cref="IRedisClient.Database"/>), recording each call; anything else throws.
    /// </summary>
    public class FakeRedis : DispatchProxy
    {
        public Dictionary<string, string> Data { get; private set; } = [];

        public List<string> Calls { get; private set; } = [];

        public List<int> Databases { get; private set; } = [];

        public List<CancellationToken> Tokens { get; private set; } = [];

        public IRedisClient Client { get; private set; } = null!;

        private IRedisDatabase _db = null!;

        public static FakeRedis Create()
        {
            var client = DispatchProxy.Create<IRedisClient, FakeRedis>();
            var db = DispatchProxy.Create<IRedisDatabase, FakeRedis>();
            var state = (FakeRedis)(object)client;
            var dbState = (FakeRedis)(object)db;
            state.Client = client;
            state._db = db;
            (dbState.Data, dbState.Calls, dbState.Databases, dbState.Tokens, dbState.Client) = (state.Data, state.Calls, state.Databases, state.Tokens, client);
            return state;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var method = targetMethod!;
            var arguments = args ?? [];
            Calls.Add(method.Name);
            if (arguments.Length > 0 && arguments[^1] is CancellationToken token)
            {
                Tokens.Add(token);
            }

            switch (method.Name)
            {
                case "get_Db":
                    return _db;
                case "Database":
                    Databases.Add((int)arguments[0]!);
                    return _db;
                case "Get" when !method.IsGenericMethod:
                    return Deferred.Succeed(Data.TryGetValue(Text(arguments[0]), out var value) ? value : null);
                case "Set" when !method.IsGenericMethod:
                    Data[Text(arguments[0])] = Text(arguments[1]);
                    return Deferred.Succeed(true);
                case "Incr":
                    var key = Text(arguments[0]);
                    var next = (Data.TryGetValue(key, out var old) ? long.Parse(old, System.Globalization.CultureInfo.InvariantCulture) : 0) + 1;
                    Data[key] = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Deferred.Succeed(next);
                default:
                    throw new NotSupportedException($"The fake does not do {method.Name}.");
            }
        }

        private static string Text(object? value) => ((RedisValue)value!).ToString();
    }
}
