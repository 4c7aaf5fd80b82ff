using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Tests.Support;
using Xunit.Abstractions;

namespace ReactiveKv.Tests.Redis;

/// <summary>The client through real sentinels: lookup, the ROLE check, and following a failover under load.</summary>
[Collection("redis-sentinel")]
public class RedisSentinelTests(RedisSentinelFixture fixture, ITestOutputHelper output)
{
    private RedisSentinelProcess Deployment => fixture.Deployment;

    [SentinelFact]
    public async Task TheSharedPubSubAndPooledConnections_AllReachThePrimaryTheSentinelsName()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, Deployment.Url).Within();

        Assert.True(await client.Db.Set("sentinel:k", "v"));
        Assert.Equal("v", await client.Db.Get("sentinel:k"));
        Assert.Equal(Deployment.Primary.Port, await PortOf(client.Db));
        Assert.Equal("master", (await client.Db.Execute("ROLE")).Items[0].Text);

        // Pub/sub has its own connection: it finds the primary the same way.
        var messages = client.Subscribe("sentinel:news").Replay();
        using var connected = messages.Connect();
        await messages.FirstAsync(m => m.Kind == RedisMessageKind.Subscribed).ToTask().Within();
        Assert.Equal(1, await client.Publish("sentinel:news", "hello"));
        Assert.Equal("hello", (await messages.FirstAsync(m => m.Kind == RedisMessageKind.Message).ToTask().Within()).Text);

        // So do the pool's dedicated connections (blocking commands, leases).
        await client.Db.LPush("sentinel:list", "item");
        Assert.Equal(new KeyValuePair<string, string>("sentinel:list", "item"), await client.BLPopAsync(["sentinel:list"], TimeSpan.FromSeconds(5)).Within());
        await using var lease = await client.LeaseAsync().Within();
        Assert.Equal(Deployment.Primary.Port, await PortOf(lease));
    }

    [SentinelFact]
    public async Task AConnectionLoss_AsksTheSentinelsAgain_BeforeReconnecting()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, Deployment.Url).Within();
        var lookups = client.Sentinel!.Lookups;
        Assert.Equal(1, lookups);

        // The primary drops every ordinary client (as the sentinels do when they demote it).
        await RedisSentinelProcess.AskAsync(Deployment.Primary.Port, CancellationToken.None, "CLIENT", "KILL", "TYPE", "normal");

        await Until(async () => await PortOrZero(client.Db) == Deployment.Primary.Port && client.Sentinel.Lookups > lookups, "the client looks the primary up again and reconnects");
    }

    [SentinelFact]
    public async Task ASentinelThatIsDown_IsSkipped_AndTheNextIsAsked()
    {
        var url = $"redis+sentinel://127.0.0.1:{ReactorFixture.FreePort()},127.0.0.1:{Deployment.SentinelPorts[1]}/{Deployment.ServiceName}";

        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, url).Within();

        Assert.Equal(Deployment.Primary.Port, await PortOf(client.Db));
    }

    [SentinelFact]
    public async Task ANameTheSentinelsMapToAReplica_IsRefusedByTheRoleCheck()
    {
        // The sentinels answer the stale name with the replica's address: the handshake must not accept it.
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisClient.ConnectAsync(fixture.Reactor, Deployment.UrlFor(Deployment.StaleServiceName))).Within();

        Assert.Contains($"127.0.0.1:{Deployment.Replica.Port} says ROLE slave, not master", error.Message);
        Assert.False(error.MayHaveExecuted);
    }

    [SentinelFact]
    public async Task ANameNoSentinelMonitors_FailsSayingSo()
    {
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisClient.ConnectAsync(fixture.Reactor, Deployment.UrlFor("nosuchmaster"))).Within();

        Assert.Contains("No sentinel named the primary of 'nosuchmaster'", error.Message);
        Assert.Contains("monitors no master named 'nosuchmaster'", error.Message);
    }

    [SentinelFact]
    public async Task SentinelFailover_UnderLoad_EveryWriteSettles_TheClientFollowsToTheNewPrimary_AndNoAcknowledgedWriteIsLost()
    {
        // Its own deployment: the failover changes which server is primary, and the collection's stays as it started.
        await using var deployment = await RedisSentinelProcess.StartAsync().Within();
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, deployment.Url).Within();
        Assert.Equal(deployment.Primary.Port, await PortOf(client.Db));
        var switched = client.ConnectionEvents.FirstAsync(e => e.Kind == ClientConnectionEventKind.PrimaryChanged).ToTask();

        // A pub/sub connection and a pooled connection are open on the old primary too: both must follow.
        var messages = client.Subscribe("failover:news").Replay();
        using var subscribed = messages.Connect();
        await messages.FirstAsync(m => m.Kind == RedisMessageKind.Subscribed).ToTask().Within();
        await using (var lease = await client.LeaseAsync().Within())
        {
            Assert.Equal(deployment.Primary.Port, await PortOf(lease));
        }

        // Replication is asynchronous: a SET the old primary acknowledged in the instant the replica was promoted is
        // lost whatever the client does. A write counts as acknowledged once the primary answered it AND a replica
        // had it (WAIT 1, written right behind the SET on the same connection), or once the new primary answered it.
        var acknowledged = new ConcurrentDictionary<string, string>();
        var unconfirmed = new ConcurrentDictionary<string, string>();
        var failures = new ConcurrentQueue<Exception>();
        var unexpected = new ConcurrentQueue<Exception>();
        var onNewPrimary = false;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"failover:{writer}:{i}";
                var afterMove = Volatile.Read(ref onNewPrimary);
                var batch = client.Batch();
                var set = batch.Set(key, key);
                var wait = batch.Execute("WAIT", 1, 100);
                _ = batch.Execute();
                try
                {
                    await set;
                    var replicas = (await wait).Integer;
                    (replicas >= 1 || afterMove ? acknowledged : unconfirmed)[key] = key;
                }
                catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or RedisReplyException)
                {
                    failures.Enqueue(e);
                }
                catch (Exception e)
                {
                    unexpected.Enqueue(e);
                }
            }
        })).ToArray();

        await Until(() => acknowledged.Count >= 200, "writes land on the first primary");
        var clock = Stopwatch.StartNew();
        await deployment.FailoverAsync();
        await deployment.WaitForPrimaryAsync(deployment.Replica.Port);
        var agreed = clock.Elapsed;
        await Until(async () => await PortOrZero(client.Db) == deployment.Replica.Port, "the client's shared connection is on the new primary");
        var moved = clock.Elapsed;
        Assert.EndsWith($":{deployment.Replica.Port}", (await switched.Within()).Server, StringComparison.Ordinal);

        // The sentinels demote the old primary only seconds after the switch: the client left it because it follows
        // +switch-master, not because the old primary dropped it.
        var oldRole = await RedisSentinelProcess.AskAsync(deployment.Primary.Port, CancellationToken.None, "ROLE") as List<object?>;
        Volatile.Write(ref onNewPrimary, true);
        var before = acknowledged.Count;
        await Until(() => acknowledged.Count >= before + 20, "writes land on the new primary");
        stop.Cancel();
        await Task.WhenAll(writers).Within();

        output.WriteLine($"sentinels agreed after {agreed}, client moved after {moved} (old primary then said ROLE {oldRole?[0]}); " +
            $"{acknowledged.Count} acknowledged, {unconfirmed.Count} answered without a replica's confirmation, {failures.Count} failed: " +
            string.Join(", ", failures.GroupBy(e => $"{e.GetType().Name}{(e is RedisConnectionException c ? $" (may have executed: {c.MayHaveExecuted})" : "")}: {Trim(e.Message)}").Select(g => $"{g.Count()} x {g.Key}")));
        Assert.Empty(unexpected);
        Assert.Equal("master", oldRole?[0]);
        Assert.All(failures.OfType<RedisConnectionException>(), e => Assert.Contains(e.MayHaveExecuted ? "may have executed" : "", e.Message));
        Assert.Equal("master", (await client.Db.Execute("ROLE")).Items[0].Text);
        Assert.Equal(deployment.Replica.Port, await PortOf(client.Db));

        // Every acknowledged write is on the new primary, read over a connection of its own (not through the sentinels).
        await using var direct = await RedisClient.ConnectAsync(fixture.Reactor, deployment.Replica.Url).Within();
        var keys = acknowledged.Keys.ToArray();
        var values = await Task.WhenAll(keys.Select(key => direct.Db.Get(key).ToTask())).Within();
        var lost = keys.Where((key, i) => values[i] != key).ToArray();
        Assert.True(lost.Length == 0, $"{lost.Length} acknowledged writes are missing on the new primary, e.g. {string.Join(", ", lost.Take(5))}");

        // Writes the old primary answered without a replica's confirmation: the ones in flight at the promotion are lost.
        var maybe = unconfirmed.Keys.ToArray();
        var maybeValues = await Task.WhenAll(maybe.Select(key => direct.Db.Get(key).ToTask())).Within();
        output.WriteLine($"{maybe.Where((key, i) => maybeValues[i] != key).Count()} of the {maybe.Length} unconfirmed writes are missing on the new primary.");

        // The subscription is renewed on the new primary (with a gap notice), and the pool's connection is there too.
        await Until(async () => await direct.Publish("failover:news", "after") == 1, "the subscription is renewed on the new primary");
        Assert.Equal("after", (await messages.FirstAsync(m => m.Kind == RedisMessageKind.Message).ToTask().Within()).Text);
        await messages.FirstAsync(m => m.Kind == RedisMessageKind.Gap).ToTask().Within();
        await using var pooled = await client.LeaseAsync().Within();
        Assert.Equal(deployment.Replica.Port, await PortOf(pooled));
    }

    private static async Task<int> PortOf(RedisCommands commands)
    {
        var reply = await commands.Execute("CONFIG", "GET", "port");
        return int.Parse(reply.Items[1].Text!, CultureInfo.InvariantCulture);
    }

    // While the client moves, the probe itself may fail like any command.
    private static async Task<int> PortOrZero(RedisCommands commands)
    {
        try
        {
            return await PortOf(commands);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or RedisReplyException)
        {
            return 0;
        }
    }

    private static string Trim(string message) => message.Length > 120 ? message[..120] + "…" : message;

    // Waiting on other processes (a sentinel election, a reconnect after backoff): poll, bounded by the guard.
    private static Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what);

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > Guard.Timeout)
            {
                throw new TimeoutException($"Never happened: {what}.");
            }

            await Task.Delay(50);
        }
    }
}
