using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.FaultInjection;

/// <summary>The Redis client against a real redis-server through a <see cref="FaultProxy"/>.</summary>
public class FaultProxyRedisTests
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    // A call's deadline is its operation timeout; the slack only absorbs a loaded machine's scheduling.
    private static readonly TimeSpan Deadline = OperationTimeout + TimeSpan.FromSeconds(4);

    [Fact]
    public async Task ResetMidFrameUnderAWriteLoad_EveryCallSettlesTyped_AcknowledgedWritesStay_NothingRunsTwice()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await RedisServerProcess.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(fixture.Reactor, "127.0.0.1", server.Port);
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, Options(proxy));
        var db = client.Db;

        // INCR on a key of its own per call: an acknowledged call leaves 1, a call reported as not executed leaves
        // nothing, and 2 anywhere would mean the client sent a call twice.
        // 5-byte ":1\r\n" replies and a 303-byte budget: the cut lands inside a reply (and inside handshakes).
        var calls = await FaultLoad.RunAsync("incr", 100, k => db.Incr(k), () => proxy.ResetAfterBytes(303), proxy.Heal, Deadline);

        var failures = calls.Where(c => !c.Outcome.Success).Select(c => c.Outcome.Error!).ToList();
        Assert.NotEmpty(failures);
        Assert.All(failures, e => Assert.True(e is RedisConnectionException or RedisTimeoutException, e.ToString()));
        Assert.Contains(failures, e => e is RedisConnectionException { MayHaveExecuted: true });

        // Healed: the client is back and the last round went through whole.
        Assert.All(calls.Where(c => FaultLoad.InLastRound(c.Key, "incr")), c => Assert.True(c.Outcome.Success));
        Assert.True(proxy.ConnectionsAccepted > 1);
        Assert.All(calls.Where(c => c.Outcome.Success), c => Assert.Equal(1, c.Outcome.Value));

        var stored = await db.MGet(calls.Select(c => (RedisValue)c.Key).ToArray()).ToTask().Within();
        var byKey = calls.Select(c => c.Key).Zip(stored).ToDictionary(p => p.First, p => (string?)p.Second);
        FaultLoad.AssertStored(calls, k => byKey[k], done: "1", untouched: null);
    }

    [Fact]
    public async Task BlackHole_CallsFailWithTheTypedTimeoutWithinTheirDeadline_AndAfterHealingTheClientIsBack()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await RedisServerProcess.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(fixture.Reactor, "127.0.0.1", server.Port);
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, Options(proxy));
        Assert.Equal("PONG", await client.Db.Ping());

        proxy.BlackHole = true;
        var calls = Enumerable.Range(0, 20).Select(i => client.Db.Incr($"hole:{i}")).ToList();
        var outcomes = await Deferred.List(calls).ToTask().WaitAsync(Deadline);
        Assert.All(outcomes, o => Assert.IsType<RedisTimeoutException>(o.Error));

        // The client may still believe in its connection; cutting it makes it reconnect through the healed proxy.
        proxy.Heal();
        proxy.CutAll();
        Assert.Equal("PONG", await RetryUntilConnected(() => client.Db.Ping()));
        Assert.Equal(1, await client.Db.Incr("after").ToTask().Within());
        Assert.True(proxy.ConnectionsAccepted >= 2);

        // The black hole forwarded nothing: none of the timed-out increments ran.
        var stored = await client.Db.MGet(Enumerable.Range(0, 20).Select(i => (RedisValue)$"hole:{i}").ToArray()).ToTask().Within();
        Assert.All(stored, s => Assert.Null(s));
    }

    [Fact]
    public async Task HalfCloseWithRepliesInFlight_CallsFailSayingTheyMayHaveExecuted_WhichTheyDid_AndTheClientRecovers()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await RedisServerProcess.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(fixture.Reactor, "127.0.0.1", server.Port);
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, Options(proxy));
        Assert.Equal("PONG", await client.Db.Ping());

        // The requests reach the server and run; their replies wait in the proxy, and are dropped by the half-close.
        proxy.SetLatency(ProxyDirection.Downstream, TimeSpan.FromSeconds(30));
        var before = proxy.BytesReadFromServers;
        var calls = Enumerable.Range(0, 20).Select(i => client.Db.Incr($"half:{i}")).ToList();
        Guard.Until(() => proxy.BytesReadFromServers >= before + (20 * ":1\r\n".Length), "the server answers all 20");
        proxy.HalfClose();

        var outcomes = await Deferred.List(calls).ToTask().WaitAsync(Deadline);
        Assert.All(outcomes, o => Assert.True(o.Error is RedisConnectionException { MayHaveExecuted: true }, o.Error?.ToString() ?? "succeeded"));

        proxy.Heal();
        // An idempotent call: a reply lost on the way can make the retry run it a second time.
        Assert.True(await RetryUntilConnected(() => client.Db.Set("after", "back")));
        Assert.Equal("back", await client.Db.Get("after").ToTask().Within());
        var stored = await client.Db.MGet(Enumerable.Range(0, 20).Select(i => (RedisValue)$"half:{i}").ToArray()).ToTask().Within();
        Assert.All(stored, s => Assert.Equal("1", s));
    }

    [Fact]
    public async Task OneByteSegmentsWithLatency_RepliesAreDecodedCorrectly()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await RedisServerProcess.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(fixture.Reactor, "127.0.0.1", server.Port);
        proxy.SliceWrites = true;
        proxy.Latency = TimeSpan.FromMilliseconds(20);
        proxy.Jitter = TimeSpan.FromMilliseconds(10);
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, Options(proxy) with { OperationTimeout = TimeSpan.FromSeconds(20) });
        var db = client.Db;

        var text = string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + (i % 26))));
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.True(await db.Set("text", text).ToTask().Within());
        Assert.True(await db.Set("binary", binary).ToTask().Within());
        Assert.True(await db.Set("crlf", "a\r\nb\r\n").ToTask().Within());

        var increments = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => db.Incr("counter").ToTask())).Within();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), increments.Order());
        Assert.Equal(text, await db.Get("text").ToTask().Within());
        Assert.Equal(binary, await db.GetBytes("binary").ToTask().Within());
        Assert.Equal(new[] { text, "a\r\nb\r\n", null, "20" }, await db.MGet("text", "crlf", "missing", "counter").ToTask().Within());
        Assert.True(proxy.WritesDownstream >= proxy.BytesDownstream);
        Assert.True(proxy.BytesDownstream > 300 + 256);
    }

    // A call racing the cut (written on the old connection before the client saw the reset) fails with a typed
    // error; the next one goes through the new connection.
    private static async Task<T> RetryUntilConnected<T>(Func<Deferred<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call().ToTask().Within();
            }
            catch (Exception e) when (attempt < 20 && e is RedisConnectionException or RedisTimeoutException)
            {
            }
        }
    }

    private static RedisOptions Options(FaultProxy proxy) => new()
    {
        Port = proxy.Port,
        OperationTimeout = OperationTimeout,
        ConnectTimeout = OperationTimeout,
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
    };
}
