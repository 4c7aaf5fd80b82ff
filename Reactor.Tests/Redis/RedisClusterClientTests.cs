using System.Globalization;
using System.Reactive.Linq;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

/// <summary>The Redis client against a real 3-primary cluster: routing, redirects, splitting, fan-out, pub/sub.</summary>
[Collection("redis-cluster")]
public class RedisClusterClientTests(RedisClusterFixture fixture)
{
    private static int _unique;

    [Fact]
    public async Task OneSeed_IsEnough_TheClientFindsTheClusterAndSpreadsKeysOverEveryPrimary()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        Assert.True(client.IsCluster);

        var prefix = Prefix();
        var keys = Enumerable.Range(0, 300).Select(i => $"{prefix}:{i}").ToArray();
        await Task.WhenAll(keys.Select(k => client.Db.Set(k, "v-" + k).ToTask()));
        var values = await Task.WhenAll(keys.Select(k => client.Db.Get(k).ToTask()));
        Assert.Equal(keys.Select(k => "v-" + k), values);

        // Each key is on the node that owns its slot: asking that node directly, without redirects, finds it.
        foreach (var key in keys.Take(30))
        {
            var port = PortOf(client.Cluster!.OwnerEndpoint(HashSlot.Of(key)));
            Assert.Equal("v-" + key, (await fixture.Cluster.CliAsync(port, "GET", key)).Trim());
        }

        var sizes = await client.RunOnAllPrimaries("DBSIZE");
        Assert.Equal(3, sizes.Count);
        Assert.All(sizes.Values, size => Assert.True(size.Integer > 0));
    }

    [Fact]
    public async Task SeveralSeeds_TheFirstDown_StillConnect()
    {
        var dead = FreePort();
        var url = $"redis://127.0.0.1:{dead}," + fixture.Cluster.Url["redis://".Length..];
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, url);
        Assert.True(client.IsCluster);
        var key = Prefix();
        Assert.True(await client.Db.Set(key, "1"));
        Assert.Equal("1", await client.Db.Get(key));
        Assert.True(client.IsConnected);
        var nodes = await client.Endpoints();
        Assert.Equal(6, nodes.Count);
        Assert.Equal(3, nodes.Count(n => n.IsPrimary));
    }

    [Fact]
    public async Task ALazyRespTwoClient_LearnsOfTheClusterFromItsFirstRedirect()
    {
        // RESP2 has no HELLO to say "cluster": the first MOVED does.
        await using var client = RedisClient.Create(fixture.Reactor, fixture.Cluster.SeedUrl + "?protocol=2");
        var prefix = Prefix();
        var keys = Enumerable.Range(0, 40).Select(i => $"{prefix}:{i}").ToArray();
        foreach (var key in keys)
        {
            Assert.True(await client.Db.Set(key, key));
        }

        Assert.True(client.IsCluster);
        Assert.Equal(keys, await client.Db.MGet([.. keys.Select(k => (RedisValue)k)]));
    }

    [Fact]
    public async Task MultiKeyCommands_AreSplitPerSlot_AndAnsweredInTheCallersOrder()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var prefix = Prefix();
        var keys = Enumerable.Range(0, 50).Select(i => (RedisValue)$"{prefix}:{i}").ToArray();
        Assert.True(keys.Select(HashSlot.Of).Distinct().Count() > 10);

        Assert.True(await client.Db.MSet([.. keys.Select(k => new KeyValuePair<RedisValue, RedisValue>(k, "v" + k))]));
        Assert.Equal(keys.Select(k => "v" + k), await client.Db.MGet(keys));
        var raw = await client.Db.Execute("MGET", [keys[3], "missing" + prefix, keys[40]]);
        Assert.Equal(new string?[] { "v" + keys[3], null, "v" + keys[40] }, raw.Items.Select(i => i.Text).ToArray());

        Assert.Equal(50, await client.Db.Exists(keys));
        Assert.Equal(50, (await client.Db.Execute("TOUCH", keys)).Integer);
        Assert.Equal(25, await client.Db.Del(keys[..25]));
        Assert.Equal(25, await client.Db.Unlink(keys));
        Assert.Equal(0, (await client.Db.Execute("EXISTS", keys)).Integer);
    }

    [Fact]
    public async Task CommandsThatCannotBeSplit_AreRefusedNamingTheSlots_UnlessAHashTagKeepsTheKeysTogether()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var prefix = Prefix();
        RedisValue a = prefix + ":a", b = prefix + ":b-other";
        Assert.NotEqual(HashSlot.Of(a), HashSlot.Of(b));

        var refused = await Assert.ThrowsAsync<RedisCrossSlotException>(() => client.Db.SInter([a, b]).ToTask());
        Assert.Contains(HashSlot.Of(a), refused.Slots);
        Assert.Contains(HashSlot.Of(b), refused.Slots);
        Assert.Contains(HashSlot.Of(a).ToString(CultureInfo.InvariantCulture), refused.Message);

        RedisValue x = $"{{{prefix}}}:x", y = $"{{{prefix}}}:y";
        await client.Db.SAdd(x, ["1", "2"]);
        await client.Db.SAdd(y, ["2", "3"]);
        Assert.Equal("2", Assert.Single(await client.Db.SInter([x, y])));
    }

    [Fact]
    public async Task Transactions_RunOnTheNodeOfTheirHashTag_AndCrossSlotOnesAreRefused()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var tag = "{" + Prefix() + "}";
        using (var transaction = client.Multi())
        {
            var incremented = transaction.Incr(tag + ":counter");
            var set = transaction.Set(tag + ":name", "n");
            Assert.True(await transaction.Execute());
            Assert.Equal(1, await incremented);
            Assert.True(await set);
        }

        using (var crossSlot = client.Multi())
        {
            var first = crossSlot.Set(Prefix() + ":one", "1");
            var second = crossSlot.Set(Prefix() + ":two-other", "2");
            await Assert.ThrowsAsync<RedisCrossSlotException>(() => crossSlot.Execute().ToTask());
            await Assert.ThrowsAsync<RedisCrossSlotException>(() => first.ToTask());
        }

        var watched = await client.WatchAsync([tag + ":counter"], async (lease, transaction) =>
        {
            var value = long.Parse((await lease.Get(tag + ":counter"))!, CultureInfo.InvariantCulture);
            _ = transaction.Set(tag + ":counter", value + 10);
            return value;
        });
        Assert.Equal(1, watched);
        Assert.Equal("11", await client.Db.Get(tag + ":counter"));
    }

    [Fact]
    public async Task Scripts_RunOnTheNodeOfTheirKeys_AndScriptLoadReachesEveryPrimary()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var tag = "{" + Prefix() + "}";
        const string Swap = "local a = redis.call('GET', KEYS[1]); redis.call('SET', KEYS[1], redis.call('GET', KEYS[2])); redis.call('SET', KEYS[2], a); return a";
        await client.Db.Set(tag + ":a", "A");
        await client.Db.Set(tag + ":b", "B");
        Assert.Equal("A", (await client.Db.Eval(Swap, [tag + ":a", tag + ":b"])).Text);
        Assert.Equal(new string?[] { "B", "A" }, await client.Db.MGet(tag + ":a", tag + ":b"));
        await Assert.ThrowsAsync<RedisCrossSlotException>(() => client.Db.Eval(Swap, [Prefix() + ":x", Prefix() + ":y-other"]).ToTask());

        // Loaded on every primary, so EVALSHA finds it whatever node its keys pick.
        var sha = await client.Db.ScriptLoad("return redis.call('INCR', KEYS[1])");
        Assert.All(await client.Db.ScriptExists(sha!), Assert.True);
        var keys = Enumerable.Range(0, 30).Select(i => (RedisValue)$"{Prefix()}:{i}").ToArray();
        Assert.True(keys.Select(k => client.Cluster!.OwnerEndpoint(HashSlot.Of(k))).Distinct().Count() == 3);
        foreach (var key in keys)
        {
            Assert.Equal(1, (await client.Db.EvalSha(sha!, [key])).Integer);
        }
    }

    [Fact]
    public async Task Batches_AreGroupedPerNode_KeepingEachKeysOrder()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var prefix = Prefix();
        var batch = client.Batch();
        var reads = new List<(string Key, Deferred<string?> Value)>();
        for (var i = 0; i < 60; i++)
        {
            var key = $"{prefix}:{i}";
            _ = batch.Set(key, "first");
            _ = batch.Set(key, "second-" + i);
            reads.Add((key, batch.Get(key)));
        }

        await batch.Execute();
        for (var i = 0; i < reads.Count; i++)
        {
            Assert.Equal("second-" + i, await reads[i].Value);
        }
    }

    [Fact]
    public async Task Scan_WalksEveryPrimary_AndKeysAndDbSizeMergeAllNodes()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var prefix = Prefix();
        var keys = Enumerable.Range(0, 120).Select(i => $"{prefix}:{i}").ToHashSet();
        await Task.WhenAll(keys.Select(k => client.Db.Set(k, "x").ToTask()));

        var scanned = await client.Db.Scan(prefix + ":*", pageSize: 10).ToList();
        Assert.Equal(keys.OrderBy(k => k), scanned.OrderBy(k => k));
        var pulled = new List<string>();
        await foreach (var key in client.Db.ScanAsync(prefix + ":*", pageSize: 7))
        {
            pulled.Add(key);
        }

        Assert.Equal(keys.OrderBy(k => k), pulled.OrderBy(k => k));
        Assert.Equal(keys.OrderBy(k => k), (await client.Db.Keys(prefix + ":*")).OrderBy(k => k));
        var total = (await client.RunOnAllPrimaries("DBSIZE")).Values.Sum(v => v.Integer);
        Assert.Equal(total, await client.Db.DbSize());
    }

    [Fact]
    public async Task OtherDatabases_AreRefused_ForAClusterHasOnlyDatabaseZero()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.Database(1).Get("k").ToTask());
        Assert.Contains("database 0", error.Message);
    }

    [Fact]
    public async Task AStaleMap_IsMendedByMoved_AndAMigratingSlotIsServedThroughAsk()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var key = Prefix() + ":migrating";
        var slot = HashSlot.Of(key);
        await client.Db.Set(key, "before");
        var from = PortOf(client.Cluster!.OwnerEndpoint(slot));
        var to = (await fixture.Cluster.PrimaryPortsAsync()).First(p => p != from);

        // Mid-migration the key already lives on the target while the source still owns the slot: the source answers ASK.
        await fixture.Cluster.BeginMigrationAsync(slot, from, to);
        await fixture.Cluster.MoveKeysAsync(slot, from, to);
        Assert.StartsWith("ASK", (await fixture.Cluster.CliAsync(from, "GET", key)).Trim());
        Assert.Equal("before", await client.Db.Get(key));
        Assert.Equal(from, PortOf(client.Cluster.OwnerEndpoint(slot)));

        await fixture.Cluster.FinishMigrationAsync(slot, from, to);
        Assert.StartsWith("MOVED", (await fixture.Cluster.CliAsync(from, "GET", key)).Trim());
        Assert.True(await client.Db.Set(key, "after"));
        Assert.Equal(to, PortOf(client.Cluster.OwnerEndpoint(slot)));
        Assert.Equal("after", await client.Db.Get(key));
    }

    [Fact]
    public async Task ABurstOfRedirects_SharesOneOrTwoMapReads()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var prefix = "{" + Prefix() + "}";
        var keys = Enumerable.Range(0, 500).Select(i => $"{prefix}:{i}").ToArray();
        await Task.WhenAll(keys.Select(k => client.Db.Set(k, k).ToTask()));
        var slot = HashSlot.Of(keys[0]);
        var from = PortOf(client.Cluster!.OwnerEndpoint(slot));
        await fixture.Cluster.MigrateSlotAsync(slot, from, (await fixture.Cluster.PrimaryPortsAsync()).First(p => p != from));
        var before = await MapReads();

        // 500 pipelined reads all meet MOVED; each is resent, and the map is read again once (or twice, if the
        // first read raced the last step of the migration), not 500 times.
        Assert.Equal(keys, await Task.WhenAll(keys.Select(k => client.Db.Get(k).ToTask())));

        // The read is spaced from the one made at connect, so it may still be on its way.
        var guard = DateTime.UtcNow + Guard.Timeout;
        while (await MapReads() == before)
        {
            Assert.True(DateTime.UtcNow < guard, "the map was never read again");
            await Task.Delay(50);
        }

        Assert.InRange(await MapReads() - before, 1, 2);
    }

    [Fact]
    public async Task TheClientCache_WorksOnEveryNode_AndAnotherClientsWriteInvalidatesIt()
    {
        var options = RedisOptions.Parse(fixture.Cluster.SeedUrl) with { ClientCache = new RedisClientCacheOptions() };
        await using var cached = await RedisClient.ConnectAsync(fixture.Reactor, options);
        await using var writer = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var prefix = Prefix();
        var keys = Enumerable.Range(0, 30).Select(i => $"{prefix}:{i}").ToArray();
        Assert.Equal(3, keys.Select(k => cached.Cluster!.OwnerEndpoint(HashSlot.Of(k))).Distinct().Count());
        foreach (var key in keys)
        {
            await writer.Db.Set(key, "old");
            Assert.Equal("old", await cached.Db.Get(key));
        }

        var hits = cached.Cache!.Hits;
        foreach (var key in keys)
        {
            Assert.Equal("old", await cached.Db.Get(key));
        }

        Assert.Equal(hits + keys.Length, cached.Cache.Hits);

        // Each node tracks the keys read through it; after a later reply from that node, the invalidation is in.
        foreach (var key in keys)
        {
            await writer.Db.Set(key, "new");
            await cached.Db.Execute("EXISTS", key);
            Assert.Equal("new", await cached.Db.Get(key));
        }
    }

    [Fact]
    public async Task BlockingCommands_GoToTheNodeOfTheirKey()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var prefix = Prefix();
        var keys = Enumerable.Range(0, 10).Select(i => $"{prefix}:list{i}").ToArray();
        foreach (var key in keys)
        {
            var popped = client.BLPopAsync([key], TimeSpan.FromSeconds(10));
            await client.Db.RPush(key, ["item-" + key]);
            Assert.Equal(new KeyValuePair<string, string>(key, "item-" + key), await popped.Within());
        }
    }

    [Fact]
    public async Task ReadsFromReplicas_WhenAsked_AreAnsweredByAReplica()
    {
        await using var writer = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        await using var reader = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl + "?read_from_replicas=true");
        var key = Prefix() + ":replicated";
        await writer.Db.Set(key, "copied");
        var primary = PortOf(writer.Cluster!.OwnerEndpoint(HashSlot.Of(key)));
        var replica = await fixture.Cluster.ReplicaOfAsync(primary);
        // A replica still loading its first copy is left out of routing: wait until the map says it serves reads.
        var guard = DateTime.UtcNow + Guard.Timeout;
        while ((await reader.Cluster!.RefreshAsync()).ReplicasOf(HashSlot.Of(key)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < guard, "the replica never came online");
            await Task.Delay(100);
        }

        // Replicas lag: read until the copy has arrived, then count one more read.
        while (await reader.Db.Get(key) != "copied")
        {
            Assert.True(DateTime.UtcNow < guard, "the write never reached the replica: " + await fixture.Cluster.CliAsync(replica, "INFO", "replication") + await fixture.Cluster.CliAsync(replica, "GET", key) + " map " + reader.Cluster!.OwnerEndpoint(HashSlot.Of(key)) + " primary " + primary);
            await Task.Delay(50);
        }

        var before = await GetCalls(replica);
        Assert.Equal("copied", await reader.Db.Get(key));
        Assert.True(await GetCalls(replica) > before, $"the replica on port {replica} served no GET");
        Assert.Equal("copied", await writer.Db.Get(key));
    }

    [Fact]
    public async Task ShardChannels_AreSubscribedOnTheirSlotsOwner_AndFollowTheSlotWhenItMoves()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var channel = Prefix() + ":shard";
        var slot = HashSlot.Of(channel);
        var messages = new List<RedisMessage>();
        var arrived = new SemaphoreSlim(0);
        using var subscription = client.SSubscribe(channel).Subscribe(m =>
        {
            lock (messages)
            {
                messages.Add(m);
            }

            arrived.Release();
        });
        await WaitFor(messages, m => m.Kind == RedisMessageKind.Subscribed, arrived);
        Assert.Equal(1, await client.Db.SPublish(channel, "one"));
        await WaitFor(messages, m => m.Text == "one", arrived);

        var from = PortOf(client.Cluster!.OwnerEndpoint(slot));
        var to = (await fixture.Cluster.PrimaryPortsAsync()).First(p => p != from);
        await fixture.Cluster.MigrateSlotAsync(slot, from, to);
        await WaitFor(messages, m => m.Kind == RedisMessageKind.Gap, arrived);
        await WaitFor(messages, m => m.Kind == RedisMessageKind.Subscribed, arrived, count: 2);
        Assert.Equal(1, await client.Db.SPublish(channel, "two"));
        await WaitFor(messages, m => m.Text == "two", arrived);
        Assert.DoesNotContain(messages, m => m.Kind == RedisMessageKind.SlotMoved);
    }

    [Fact]
    public async Task Subscribe_AndPublish_WorkAcrossNodes()
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, fixture.Cluster.SeedUrl);
        var channel = Prefix() + ":plain";
        var messages = new List<RedisMessage>();
        var arrived = new SemaphoreSlim(0);
        using var subscription = client.Subscribe(channel).Subscribe(m =>
        {
            lock (messages)
            {
                messages.Add(m);
            }

            arrived.Release();
        });
        await WaitFor(messages, m => m.Kind == RedisMessageKind.Subscribed, arrived);
        await using var other = await RedisClient.ConnectAsync(fixture.Reactor, $"redis://127.0.0.1:{fixture.Cluster.Ports[^1]}");
        await other.Publish(channel, "hello");
        await WaitFor(messages, m => m.Text == "hello", arrived);
    }

    [Fact]
    public async Task KvCommandLine_FollowsRedirects_OnAClusterUrl()
    {
        var key = Prefix() + ":cli";
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var url = fixture.Cluster.Url + "/0";
        Assert.Equal(0, await ReactiveKv.Examples.CommandLine.Cli.RunAsync(["kv", url, "SET", key, "from-cli"], stdout, stderr).Within());
        Assert.Equal(0, await ReactiveKv.Examples.CommandLine.Cli.RunAsync(["kv", url, "GET", key], stdout, stderr).Within());
        Assert.Equal(0, await ReactiveKv.Examples.CommandLine.Cli.RunAsync(["kv", url, "MGET", key, key + "-other", key], stdout, stderr).Within());
        Assert.Equal("", stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["OK", "\"from-cli\"", "1) \"from-cli\"", "2) (nil)", "3) \"from-cli\""], lines);
    }

    internal static string Prefix() => $"c{Interlocked.Increment(ref _unique)}-{Guid.NewGuid():N}"[..14];

    internal static int PortOf(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private async Task<long> MapReads()
    {
        long total = 0;
        foreach (var port in fixture.Cluster.Ports)
        {
            total += await Calls(port, "cluster|shards");
        }

        return total;
    }

    private Task<long> GetCalls(int port) => Calls(port, "get");

    private async Task<long> Calls(int port, string command)
    {
        var stats = await fixture.Cluster.CliAsync(port, "INFO", "commandstats");
        var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var calls = line.Split(':')[1].Split(',')[0];
        return long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
    }

    private static async Task WaitFor(List<RedisMessage> messages, Func<RedisMessage, bool> match, SemaphoreSlim arrived, int count = 1)
    {
        var guard = DateTime.UtcNow + Guard.Timeout;
        while (true)
        {
            lock (messages)
            {
                if (messages.Count(match) >= count)
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < guard, "timed out waiting for a message");
            await arrived.WaitAsync(TimeSpan.FromSeconds(1));
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
