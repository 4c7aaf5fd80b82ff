using System.Globalization;
using System.Text;
using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Redis.RedisFixture;

namespace ReactiveKv.Tests.Redis;

/// <summary>
/// Client-side caching against a real redis-server: hits send nothing, other clients' writes invalidate before the
/// next read can see a stale value, and losses, flushes and the bound empty the cache. The fixture's own client
/// (no cache) plays "the other client" and reads the server's command statistics.
/// </summary>
[Collection("redis")]
public class RedisClientCacheTests(RedisFixture fixture)
{
    private RedisDatabase Other => fixture.Client.Db;

    [Fact]
    public async Task TheSecondGet_IsAnsweredFromTheCache_AndTheServerSeesOneGet()
    {
        await using var client = await CachedClientAsync();
        var key = Key("k");
        await Other.Set(key, "v1");

        var before = await GetCalls();
        Assert.Equal("v1", await client.Db.Get(key));
        var second = client.Db.Get(key);
        Assert.True(second.Called, "a hit is already complete when GET returns");
        Assert.Equal("v1", await second);
        Assert.Equal("v1", Encoding.UTF8.GetString((await client.Db.GetBytes(key))!));
        Assert.Equal("v1", await client.Db.Get(key, Utf8Codec.Instance));

        Assert.Equal(before + 1, await GetCalls());
        Assert.Equal((3, 1, 1), (client.Cache!.Hits, client.Cache.Misses, client.Cache.Entries));
    }

    [Fact]
    public async Task AnotherClientsSet_IsSeenByTheNextGet_OnceAnyLaterReplyHasArrived()
    {
        await using var client = await CachedClientAsync();
        var key = Key("k");
        await Other.Set(key, "old");
        Assert.Equal("old", await client.Db.Get(key));
        Assert.Equal("old", await client.Db.Get(key));

        for (var i = 0; i < 20; i++)
        {
            var value = i.ToString(CultureInfo.InvariantCulture);
            await Other.Set(key, value);

            // RESP3 orders the invalidation push before the PING's reply on the same connection.
            await client.Db.Ping();
            Assert.Equal(value, await client.Db.Get(key));
            Assert.Equal(value, await client.Db.Get(key));
        }

        Assert.Equal(20, client.Cache!.Invalidations);
        Assert.Equal(21, client.Cache.Hits);
    }

    [Fact]
    public async Task ReadersOnOtherThreads_NeverSeeAValueOlderThanAWriteWhoseInvalidationWasDelivered()
    {
        await using var client = await CachedClientAsync();
        var key = Key("k");
        await Other.Set(key, 0);
        var delivered = 0;
        var writing = true;

        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 100; i++)
            {
                await Other.Set(key, i);

                // Once this client has a later reply, the invalidation of write i was processed before it.
                await client.Db.Ping();
                Volatile.Write(ref delivered, i);
            }

            Volatile.Write(ref writing, false);
        });
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            long reads = 0;
            while (Volatile.Read(ref writing))
            {
                var known = Volatile.Read(ref delivered);
                var value = int.Parse((await client.Db.Get(key))!, CultureInfo.InvariantCulture);
                Assert.True(value >= known, $"read {value} after write {known} was delivered");
                reads++;

                // A hit completes at once: let the writer's continuations have the pool now and then.
                if (reads % 64 == 0)
                {
                    await Task.Yield();
                }
            }

            return reads;
        })).ToArray();

        await writer.Within();
        await Task.WhenAll(readers).Within();
        Assert.Equal("100", await client.Db.Get(key));
        Assert.True(client.Cache!.Hits > 0);
    }

    [Fact]
    public async Task BinaryKeys_AreCachedAndInvalidatedByTheirBytes()
    {
        await using var client = await CachedClientAsync();
        byte[] key = [.. Encoding.UTF8.GetBytes(Key("k")), 0xff, 0x00, 0x80];
        await Other.Set(key, "1");
        Assert.Equal("1", await client.Db.Get(key));
        Assert.Equal("1", await client.Db.Get(key));
        Assert.Equal(1, client.Cache!.Hits);

        await Other.Set(key, "2");
        await client.Db.Ping();
        Assert.Equal("2", await client.Db.Get(key));
    }

    [Fact]
    public async Task ItsOwnWrites_InvalidateToo()
    {
        await using var client = await CachedClientAsync();
        var key = Key("k");
        await client.Db.Set(key, "a");
        Assert.Equal("a", await client.Db.Get(key));
        await client.Db.Set(key, "b");
        Assert.Equal("b", await client.Db.Get(key));
        await client.Db.Del(key);
        Assert.Null(await client.Db.Get(key));
        Assert.Null(await client.Db.Get(key));
        Assert.Equal(1, client.Cache!.Hits);
    }

    [Fact]
    public async Task AGetInFlight_WhenAnInvalidationOfItsKeyArrives_IsStillCached_ForTheServerWroteThePushBeforeRunningIt()
    {
        await using var client = await CachedClientAsync();
        var key = Key("k");
        await Other.Set(key, "old");
        Assert.Equal("old", await client.Db.Get(key));
        client.Cache!.Clear(); // the server still tracks the key for us: the next write is pushed

        // Another client's SET answered while our loop is busy, then our GET: the push reaches us before the GET's reply
        // and is read after the GET was sent (the race a test thread loses now and then, made certain here).
        using var raw = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await raw.ConnectAsync(System.Net.IPAddress.Loopback, fixture.Server.Port);
        var get = await client.Multiplexer.Loop.InvokeAsync(() =>
        {
            var set = Encoding.UTF8.GetBytes($"*3\r\n$3\r\nSET\r\n${Encoding.UTF8.GetByteCount(key)}\r\n{key}\r\n$3\r\nnew\r\n");
            raw.Send(set);
            var reply = new byte[5];
            for (var read = 0; read < reply.Length;)
            {
                read += raw.Receive(reply, read, reply.Length - read, System.Net.Sockets.SocketFlags.None);
            }

            Assert.Equal("+OK\r\n", Encoding.ASCII.GetString(reply));
            return client.Db.Get(key);
        });

        Assert.Equal("new", await get);
        var hits = client.Cache.Hits;
        Assert.Equal("new", await client.Db.Get(key));
        Assert.Equal(hits + 1, client.Cache.Hits);
        Assert.Equal(1, client.Cache.Invalidations);
    }

    [Fact]
    public async Task WritesInATransaction_InABatch_OrOnALease_AreForgottenBeforeTheirCallerReadsAgain()
    {
        await using var client = await CachedClientAsync();
        var key = Key("k");
        await Other.Set(key, "0");
        Assert.Equal("0", await client.Db.Get(key));

        using (var transaction = client.Multi())
        {
            _ = transaction.Set(key, "1");
            Assert.True(await transaction.Execute());
        }

        Assert.Equal("1", await client.Db.Get(key));

        var batch = client.Batch();
        var written = batch.Set(key, "2");
        await batch.Execute();
        Assert.True(await written);
        Assert.Equal("2", await client.Db.Get(key));

        await using (var lease = await client.LeaseAsync())
        {
            Assert.True(await lease.Set(key, "3"));
            Assert.Equal("3", await client.Db.Get(key));
        }
    }

    [Fact]
    public async Task AMissingKey_IsCachedAsMissing_UntilItIsCreated()
    {
        await using var client = await CachedClientAsync();
        var key = Key("k");
        Assert.Null(await client.Db.Get(key));
        Assert.Null(await client.Db.Get(key));
        Assert.Equal(1, client.Cache!.Hits);

        await Other.Set(key, "now");
        await client.Db.Ping();
        Assert.Equal("now", await client.Db.Get(key));
    }

    [Fact]
    public async Task TheSameKeyInTwoDatabases_IsCachedApart_AndAnInvalidationDropsBoth()
    {
        await using var client = await CachedClientAsync();
        var key = Key("k");
        await Other.Set(key, "zero");
        await fixture.Client.Database(1).Set(key, "one");
        Assert.Equal("zero", await client.Db.Get(key));
        Assert.Equal("one", await client.Database(1).Get(key));
        Assert.Equal(("zero", "one"), (await client.Db.Get(key), await client.Database(1).Get(key)));
        Assert.Equal(2, client.Cache!.Entries);

        await fixture.Client.Database(1).Set(key, "uno");
        await client.Db.Ping();
        Assert.Equal(0, client.Cache.Entries);
        Assert.Equal(("zero", "uno"), (await client.Db.Get(key), await client.Database(1).Get(key)));
    }

    [Fact]
    public async Task Entries_StayWithinMaxEntries_EvictingTheLeastRecentlyRead()
    {
        await using var client = await CachedClientAsync(new RedisClientCacheOptions { MaxEntries = 10 });
        var keys = Enumerable.Range(0, 30).Select(i => (RedisValue)Key($"k{i}")).ToArray();
        await Other.MSet([.. keys.Select(k => new KeyValuePair<RedisValue, RedisValue>(k, "v"))]);

        Assert.Equal("v", await client.Db.Get(keys[0]));
        for (var i = 1; i < keys.Length; i++)
        {
            Assert.Equal("v", await client.Db.Get(keys[i]));

            // Keep reading the first key: the clock gives read entries a second chance.
            Assert.Equal("v", await client.Db.Get(keys[0]));
            Assert.True(client.Cache!.Entries <= 10, $"{client.Cache.Entries} entries");
        }

        Assert.Equal(10, client.Cache!.Entries);
        var hits = client.Cache.Hits;
        Assert.Equal("v", await client.Db.Get(keys[0]));
        Assert.Equal(hits + 1, client.Cache.Hits);
        Assert.Equal("v", await client.Db.Get(keys[1]));
        Assert.Equal(hits + 1, client.Cache.Hits);
    }

    [Fact]
    public async Task LargeValues_AreNotCached()
    {
        await using var client = await CachedClientAsync(new RedisClientCacheOptions { MaxValueBytes = 4 });
        await Other.Set(Key("small"), "1234");
        await Other.Set(Key("large"), "12345");
        Assert.Equal("1234", await client.Db.Get(Key("small")));
        Assert.Equal("12345", await client.Db.Get(Key("large")));
        Assert.Equal(1, client.Cache!.Entries);
    }

    [Fact]
    public async Task Clear_EmptiesTheCache()
    {
        await using var client = await CachedClientAsync();
        await Other.Set(Key("k"), "v");
        Assert.Equal("v", await client.Db.Get(Key("k")));
        client.Cache!.Clear();
        Assert.Equal(0, client.Cache.Entries);
        var before = await GetCalls();
        Assert.Equal("v", await client.Db.Get(Key("k")));
        Assert.Equal(before + 1, await GetCalls());
    }

    [Fact]
    public async Task ALostConnection_EmptiesTheCache_AndTrackingResumesOnTheNextOne()
    {
        await using var client = await CachedClientAsync();
        var key = Key("k");
        await Other.Set(key, "before");
        Assert.Equal("before", await client.Db.Get(key));
        Assert.Equal(1, client.Cache!.Entries);

        var id = (await client.Db.Execute("CLIENT", "ID")).Integer;
        await Other.Execute("CLIENT", "KILL", "ID", id);
        Guard.Until(() => client.Cache.Entries == 0, "the loss emptied the cache");

        // Written while the connection was down: the cache must not have kept anything from before.
        await Other.Set(key, "during");
        Assert.Equal("during", await client.Db.Get(key));
        Assert.Equal("during", await client.Db.Get(key));
        Assert.Equal(1, client.Cache.Hits);

        await Other.Set(key, "after");
        await client.Db.Ping();
        Assert.Equal("after", await client.Db.Get(key));
    }

    [Fact]
    public async Task FlushAll_EmptiesTheCache()
    {
        // FLUSHALL on a server of its own: the shared one holds the other tests' keys.
        await using var server = await RedisServerProcess.StartAsync();
        await using var other = await RedisClient.ConnectAsync(fixture.Reactor, server.Url);
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, RedisOptions.Parse(server.Url) with { ClientCache = new RedisClientCacheOptions() });
        await other.Db.Set("a", "1");
        await other.Db.Set("b", "2");
        Assert.Equal(("1", "2"), (await client.Db.Get("a"), await client.Db.Get("b")));
        Assert.Equal(2, client.Cache!.Entries);

        await other.Db.Execute("FLUSHALL");
        await client.Db.Ping();
        Assert.Equal(0, client.Cache.Entries);
        Assert.Equal((null, null), (await client.Db.Get("a"), await client.Db.Get("b")));
    }

    [Fact]
    public async Task InBroadcastMode_OnlyKeysUnderThePrefixesAreCached_AndAnyWriteUnderThemInvalidates()
    {
        var prefix = Key("bc:");
        await using var client = await CachedClientAsync(new RedisClientCacheOptions { Prefixes = [prefix] });
        await Other.Set(prefix + "x", "1");
        await Other.Set(Key("outside"), "2");

        Assert.Equal("1", await client.Db.Get(prefix + "x"));
        Assert.Equal("1", await client.Db.Get(prefix + "x"));
        Assert.Equal("2", await client.Db.Get(Key("outside")));
        Assert.Equal("2", await client.Db.Get(Key("outside")));
        Assert.Equal((1, 1), (client.Cache!.Hits, client.Cache.Entries));

        await Other.Set(prefix + "x", "3");
        await client.Db.Ping();
        Assert.Equal("3", await client.Db.Get(prefix + "x"));
    }

    [Fact]
    public void Caching_RefusesRespTwo()
    {
        var options = RedisOptions.Parse(fixture.Server.Url) with { PreferResp3 = false, ClientCache = new RedisClientCacheOptions() };
        var error = Assert.Throws<ArgumentException>(() => RedisClient.Create(fixture.Reactor, options));
        Assert.Contains("RESP3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheOption_ThereIsNoCache()
    {
        Assert.Null(fixture.Client.Cache);
        var before = await GetCalls();
        await Other.Get(Key("k"));
        await Other.Get(Key("k"));
        Assert.Equal(before + 2, await GetCalls());
    }

    private Task<RedisClient> CachedClientAsync(RedisClientCacheOptions? cache = null) =>
        RedisClient.ConnectAsync(fixture.Reactor, RedisOptions.Parse(fixture.Server.Url) with { ClientCache = cache ?? new RedisClientCacheOptions() });

    /// <summary>The server's count of GET calls (INFO commandstats).</summary>
    private async Task<long> GetCalls()
    {
        var info = (await Other.Execute("INFO", "commandstats")).Text ?? "";
        var line = info.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_get:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var calls = line.Split(':')[1].Split(',')[0];
        return long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
    }

    private sealed class Utf8Codec : IRedisCodec<string>
    {
        public static readonly Utf8Codec Instance = new();

        public byte[] Encode(string value) => Encoding.UTF8.GetBytes(value);

        public string Decode(byte[] bytes) => Encoding.UTF8.GetString(bytes);
    }
}
