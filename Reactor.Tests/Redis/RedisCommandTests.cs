using System.Reactive.Linq;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Redis.RedisFixture;

namespace ReactiveKv.Tests.Redis;

[Collection("redis")]
public class RedisCommandTests(RedisFixture fixture)
{
    private RedisDatabase Db => fixture.Client.Db;

    [Fact]
    public void TheClientNegotiatedResp3()
    {
        Assert.Equal(3, fixture.Client.Protocol);
        Assert.True(fixture.Client.IsConnected);
    }

    [Fact]
    public async Task Strings()
    {
        var k = Key("s");
        Assert.True(await Db.Set(k, "hello"));
        Assert.Equal("hello", await Db.Get(k));
        Assert.Null(await Db.Get(Key("missing")));
        Assert.Equal("hello"u8.ToArray(), await Db.GetBytes(k));
        Assert.False(await Db.Set(k, "x", when: SetCondition.NotExists));
        Assert.True(await Db.Set(k, "world", when: SetCondition.Exists));
        Assert.False(await Db.Set(Key("nx"), "x", when: SetCondition.Exists));
        Assert.True(await Db.Set(Key("ex"), "x", TimeSpan.FromSeconds(100)));
        Assert.InRange(await Db.Ttl(Key("ex")), 95, 100);
        Assert.True(await Db.Set(Key("px"), "x", TimeSpan.FromMilliseconds(100500)));
        Assert.InRange(await Db.PTtl(Key("px")), 90_000, 100_500);
        Assert.Equal(11, await Db.Append(k, " again"));
        Assert.Equal("world again", await Db.GetSet(k, "v2"));
        Assert.Equal(2, await Db.StrLen(k));
        Assert.Equal(7, await Db.SetRange(k, 2, "-tail"));
        Assert.Equal("v2-tail", await Db.Get(k));
        Assert.Equal("-ta", await Db.GetRange(k, 2, 4));
        Assert.Equal("v2-tail", await Db.GetDel(k));
        Assert.True(await Db.SetNX(k, "again"));
        Assert.False(await Db.SetNX(k, "again"));
    }

    [Fact]
    public async Task Numbers()
    {
        var k = Key("n");
        Assert.Equal(1, await Db.Incr(k));
        Assert.Equal(11, await Db.IncrBy(k, 10));
        Assert.Equal(10, await Db.Decr(k));
        Assert.Equal(5, await Db.DecrBy(k, 5));
        Assert.Equal(5.5, await Db.IncrByFloat(k, 0.5));
        var error = await Assert.ThrowsAsync<RedisReplyException>(async () => await Db.Incr(k));
        Assert.Equal("ERR", error.Prefix);
        Assert.Equal("INCR", error.Command);
    }

    [Fact]
    public async Task Bits()
    {
        var k = Key("b");
        Assert.False(await Db.SetBit(k, 7, true));
        Assert.True(await Db.SetBit(k, 7, true));
        Assert.True(await Db.GetBit(k, 7));
        Assert.False(await Db.GetBit(k, 6));
        await Db.Set(Key("b2"), new byte[] { 0xf0, 0x0f });
        Assert.Equal(1, await Db.BitCount(k));
        Assert.Equal(1, await Db.BitCount(k, 0, 0));
        Assert.Equal(2, await Db.BitOp(BitOperation.Or, Key("dest"), k, Key("b2")));
        Assert.Equal(new byte[] { 0xf1, 0x0f }, await Db.GetBytes(Key("dest")));
        Assert.Equal(9, await Db.BitCount(Key("dest")));
    }

    [Fact]
    public async Task MultiKeyStrings()
    {
        Assert.True(await Db.MSet(new(Key("a"), "1"), new(Key("b"), "2")));
        Assert.Equal(new[] { "1", "2", null }, await Db.MGet(Key("a"), Key("b"), Key("c")));
        Assert.False(await Db.MSetNX(new(Key("a"), "9"), new(Key("c"), "3")));
        Assert.True(await Db.MSetNX(new(Key("c"), "3"), new(Key("d"), "4")));
    }

    [Fact]
    public async Task Hashes()
    {
        var k = Key("h");
        Assert.Equal(1, await Db.HSet(k, "f1", "v1"));
        Assert.Equal(2, await Db.HSet(k, new KeyValuePair<RedisValue, RedisValue>("f2", "v2"), new("f3", "3")));
        Assert.Equal("v1", await Db.HGet(k, "f1"));
        Assert.Equal(new[] { "v1", null }, await Db.HMGet(k, "f1", "nope"));
        Assert.Equal(new Dictionary<string, string> { ["f1"] = "v1", ["f2"] = "v2", ["f3"] = "3" }, await Db.HGetAll(k));
        Assert.True(await Db.HExists(k, "f2"));
        Assert.False(await Db.HSetNX(k, "f2", "x"));
        Assert.Equal(5, await Db.HIncrBy(k, "f3", 2));
        Assert.Equal(5.25, await Db.HIncrByFloat(k, "f3", 0.25));
        Assert.Equal(3, await Db.HLen(k));
        Assert.Equal(2, await Db.HStrLen(k, "f1"));
        Assert.Equal(new[] { "f1", "f2", "f3" }, (await Db.HKeys(k)).Order());
        Assert.Contains("v2", await Db.HVals(k));
        Assert.Equal(1, await Db.HDel(k, "f1", "nope"));
    }

    [Fact]
    public async Task Lists()
    {
        var k = Key("l");
        Assert.Equal(2, await Db.RPush(k, "b", "c"));
        Assert.Equal(3, await Db.LPush(k, "a"));
        Assert.Equal(0, await Db.LPushX(Key("none"), "x"));
        Assert.Equal(4, await Db.RPushX(k, "d"));
        Assert.Equal(new[] { "a", "b", "c", "d" }, await Db.LRange(k, 0, -1));
        Assert.Equal("c", await Db.LIndex(k, -2));
        Assert.True(await Db.LSet(k, 0, "A"));
        Assert.Equal(5, await Db.LInsert(k, ListPosition.Before, "c", "b"));
        Assert.Equal(-1, await Db.LInsert(k, ListPosition.After, "zz", "x"));
        Assert.Equal(2, await Db.LRem(k, 0, "b"));
        Assert.Equal(new[] { "A", "c", "d" }, await Db.LRange(k, 0, -1));
        Assert.True(await Db.LTrim(k, 0, 1));
        Assert.Equal(2, await Db.LLen(k));
        Assert.Equal("c", await Db.RPopLPush(k, Key("other")));
        Assert.Equal("A", await Db.LMove(k, Key("other"), ListEnd.Left, ListEnd.Right));
        Assert.Equal("c", await Db.LPop(Key("other")));
        Assert.Equal("A", await Db.RPop(Key("other")));
        Assert.Null(await Db.LPop(Key("other")));
    }

    [Fact]
    public async Task Sets()
    {
        var (a, b) = (Key("a"), Key("b"));
        Assert.Equal(3, await Db.SAdd(a, "1", "2", "3"));
        Assert.Equal(2, await Db.SAdd(b, "3", "4"));
        Assert.True(await Db.SIsMember(a, "1"));
        Assert.Equal(3, await Db.SCard(a));
        Assert.Equal(new[] { "3" }, await Db.SInter(a, b));
        Assert.Equal(new[] { "1", "2", "3", "4" }, (await Db.SUnion(a, b)).Order());
        Assert.Equal(new[] { "1", "2" }, (await Db.SDiff(a, b)).Order());
        Assert.Equal(1, await Db.SInterStore(Key("i"), a, b));
        Assert.Equal(4, await Db.SUnionStore(Key("u"), a, b));
        Assert.Equal(2, await Db.SDiffStore(Key("d"), a, b));
        Assert.True(await Db.SMove(a, b, "1"));
        Assert.False(await Db.SMove(a, b, "nope"));
        Assert.Equal(new[] { "1", "3", "4" }, (await Db.SMembers(b)).Order());
        Assert.Contains(await Db.SRandMember(b), new[] { "1", "3", "4" });
        Assert.Equal(3, (await Db.SRandMember(b, 3)).Length);
        Assert.Contains(await Db.SPop(a), new[] { "2", "3" });
        Assert.Single(await Db.SPop(a, 5));
        Assert.Equal(1, await Db.SRem(b, "1", "x"));
    }

    [Fact]
    public async Task SortedSets()
    {
        var k = Key("z");
        Assert.Equal(1, await Db.ZAdd(k, "a", 1));
        Assert.Equal(3, await Db.ZAdd(k, [new("b", 2), new("c", 3), new("d", 4)]));
        Assert.Equal(0, await Db.ZAdd(k, [new("a", 10)], SetCondition.NotExists));
        Assert.Equal(2.0, await Db.ZScore(k, "b"));
        Assert.Null(await Db.ZScore(k, "nope"));
        Assert.Equal(3.5, await Db.ZIncrBy(k, "b", 1.5));
        Assert.Equal(4, await Db.ZCard(k));
        Assert.Equal(2, await Db.ZCount(k, "2", RedisCommands.Score(3.5)));
        Assert.Equal(2, await Db.ZCount(k, RedisCommands.Score(3, exclusive: true), "+inf"));
        Assert.Equal(0, await Db.ZRank(k, "a"));
        Assert.Equal(0, await Db.ZRevRank(k, "d"));
        Assert.Null(await Db.ZRank(k, "nope"));
        Assert.Equal(new[] { "a", "c", "b", "d" }, await Db.ZRange(k, 0, -1));
        Assert.Equal(new[] { new SortedSetEntry("a", 1), new SortedSetEntry("c", 3) }, await Db.ZRangeWithScores(k, 0, 1));
        Assert.Equal(new[] { "d", "b" }, await Db.ZRevRange(k, 0, 1));
        Assert.Equal(new[] { new SortedSetEntry("d", 4) }, await Db.ZRevRangeWithScores(k, 0, 0));
        Assert.Equal(new[] { "c", "b" }, await Db.ZRangeByScore(k, "2", "3.5"));
        Assert.Equal(new[] { "b" }, await Db.ZRangeByScore(k, "-inf", "+inf", offset: 2, count: 1));
        Assert.Equal(new[] { new SortedSetEntry("c", 3) }, await Db.ZRangeByScoreWithScores(k, "(1", "3"));
        Assert.Equal(new[] { "b", "c" }, await Db.ZRevRangeByScore(k, "3.5", "3"));
        Assert.Equal(new[] { new SortedSetEntry("d", 4) }, await Db.ZRevRangeByScoreWithScores(k, "+inf", "4"));

        var lex = Key("lex");
        await Db.ZAdd(lex, [new("apple", 0), new("banana", 0), new("cherry", 0)]);
        Assert.Equal(new[] { "apple", "banana" }, await Db.ZRangeByLex(lex, "-", "(cherry"));
        Assert.Equal(new[] { "cherry", "banana" }, await Db.ZRevRangeByLex(lex, "+", "[banana"));
        Assert.Equal(1, await Db.ZRemRangeByLex(lex, "[apple", "[apple"));

        Assert.Equal(1, await Db.ZRemRangeByRank(k, 0, 0));
        Assert.Equal(1, await Db.ZRemRangeByScore(k, "3", "3"));
        Assert.Equal(new[] { new SortedSetEntry("b", 3.5) }, await Db.ZPopMin(k));
        Assert.Equal(new[] { new SortedSetEntry("d", 4) }, await Db.ZPopMax(k));
        Assert.Equal(1, await Db.ZRem(lex, "banana", "nope"));
    }

    [Fact]
    public async Task SortedSetStoreWithWeightsAndAggregate()
    {
        var (x, y) = (Key("x"), Key("y"));
        await Db.ZAdd(x, [new("a", 1), new("b", 2)]);
        await Db.ZAdd(y, [new("b", 10), new("c", 20)]);
        Assert.Equal(1, await Db.ZInterStore(Key("inter"), [x, y], [2, 1]));
        Assert.Equal(14, await Db.ZScore(Key("inter"), "b"));
        Assert.Equal(3, await Db.ZUnionStore(Key("union"), [x, y], aggregate: Aggregate.Max));
        Assert.Equal(10, await Db.ZScore(Key("union"), "b"));
        Assert.Throws<ArgumentException>(() => Db.ZUnionStore(Key("bad"), [x, y], [1]));
    }

    [Fact]
    public async Task Keys()
    {
        var (k, renamed) = (Key("k"), Key("renamed"));
        await Db.Set(k, "v");
        Assert.Equal(1, await Db.Exists(k, Key("nope")));
        Assert.Equal("string", await Db.Type(k));
        Assert.Equal("none", await Db.Type(Key("nope")));
        Assert.Contains(k, await Db.Keys(Key("*")));
        Assert.True(await Db.Expire(k, TimeSpan.FromSeconds(50)));
        Assert.InRange(await Db.Ttl(k), 1, 50);
        Assert.True(await Db.Persist(k));
        Assert.Equal(-1, await Db.Ttl(k));
        Assert.Equal(-2, await Db.Ttl(Key("nope")));
        Assert.True(await Db.ExpireAt(k, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.True(await Db.Rename(k, renamed));
        Assert.False(await Db.RenameNX(renamed, renamed));
        Assert.NotNull(await Db.RandomKey());
        Assert.True(await Db.Move(renamed, 5));
        Assert.Equal("v", await fixture.Client.Database(5).Get(renamed));
        Assert.Equal(1, await fixture.Client.Database(5).Del(renamed, Key("nope")));
        Assert.Equal("PONG", await Db.Ping());
        Assert.Equal("hi", await Db.Echo("hi"));
        Assert.True(await Db.DbSize() > 0);
    }

    [Fact]
    public async Task Databases_AreSelectedByTheClient_AndRawSelectIsRefused()
    {
        var k = Key("k");
        var db1 = fixture.Client.Database(1);
        var db2 = fixture.Client.Database(2);
        var writes = Enumerable.Range(0, 50).SelectMany(i => new[] { db1.Set($"{k}:{i}", "one"), db2.Set($"{k}:{i}", "two") }).ToList();
        await Deferred.Gather(writes);

        Assert.Equal("one", await db1.Get($"{k}:7"));
        Assert.Equal("two", await db2.Get($"{k}:7"));
        Assert.Null(await Db.Get($"{k}:7"));
        Assert.Throws<ArgumentException>(() => Db.Execute("select", 3));
        Assert.Throws<ArgumentException>(() => Db.Execute("SUBSCRIBE", "x"));
    }

    [Fact]
    public async Task Execute_ReturnsTypedRespValues()
    {
        var info = await Db.Execute("CONFIG", "GET", "save");
        Assert.Equal(RespType.Map, info.Type);
        Assert.Equal("save", info.Items[0].Text);
        var number = await Db.Execute("INCRBY", Key("n"), 5);
        Assert.Equal((RespType.Integer, 5L), (number.Type, number.Integer));
        var text = (await Db.Execute("ECHO", "x")).ToString();
        Assert.Equal("\"x\"", text);
    }

    [Fact]
    public async Task Codecs_RoundTripUserTypes()
    {
        var codec = new JsonCodec<Point>();
        Assert.True(await Db.Set(Key("p"), new Point(3, 4), codec));
        Assert.Equal(new Point(3, 4), await Db.Get(Key("p"), codec));
        Assert.Null(await Db.Get(Key("none"), codec));
    }

    [Fact]
    public async Task Scripts_UseEvalShaAndFallBackOnNoScript()
    {
        const string script = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
        await Db.Execute("SCRIPT", "FLUSH");
        Assert.Equal(new[] { false }, await Db.ScriptExists(RedisCommands.Sha1(script)));
        Assert.Equal(5, (await Db.Eval(script, [Key("n")], [5])).Integer);
        Assert.Equal(new[] { true }, await Db.ScriptExists(RedisCommands.Sha1(script)));
        Assert.Equal(7, (await Db.Eval(script, [Key("n")], [2])).Integer);
        Assert.Equal(RedisCommands.Sha1(script), await Db.ScriptLoad(script));
        Assert.Equal(8, (await Db.EvalSha(RedisCommands.Sha1(script), [Key("n")], [1])).Integer);
        var error = await Assert.ThrowsAsync<RedisReplyException>(async () => await Db.Eval("return redis.call('NOSUCH')"));
        Assert.Contains("Unknown Redis command", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Streams()
    {
        var k = Key("stream");
        var first = await Db.XAdd(k, [new("temp", "20"), new("unit", "C")]);
        var second = await Db.XAdd(k, [new("temp", "21")], maxLength: 1000);
        Assert.Equal(2, await Db.XLen(k));
        var all = await Db.XRange(k);
        Assert.Equal(new[] { first, second }, all.Select(e => e.Id));
        Assert.Equal("C", all[0]["unit"]);
        Assert.Equal(new[] { second }, (await Db.XRevRange(k, count: 1)).Select(e => e.Id));
        var read = await Db.XRead([new(k, first!)]);
        Assert.Equal(new[] { second }, read[k].Select(e => e.Id));
        Assert.Empty(await Db.XRead([new(k, second!)]));

        Assert.True(await Db.XGroupCreate(k, "g", "0"));
        var delivered = await Db.XReadGroup("g", "alice", k, count: 10);
        Assert.Equal(2, delivered.Length);
        var pending = await Db.XPending(k, "g");
        Assert.Equal(2, pending.Count);
        Assert.Equal(2, pending.Consumers["alice"]);
        var claimed = await Db.XClaim(k, "g", "bob", TimeSpan.Zero, first!);
        Assert.Equal(new[] { first }, claimed.Select(e => e.Id));
        Assert.Equal(2, await Db.XAck(k, "g", first!, second!));
        Assert.Equal(0, (await Db.XPending(k, "g")).Count);
        Assert.Equal(1, await Db.XDel(k, first!));
        Assert.Equal(0, await Db.XTrim(k, 5));
        Assert.True(await Db.XGroupDestroy(k, "g"));
    }

    [Fact]
    public async Task Scans_AreCold_AndWalkEveryPage()
    {
        var prefix = Key("scan");
        await Deferred.Gather(Enumerable.Range(0, 250).Select(i => Db.Set($"{prefix}:{i}", i)));
        await Db.HSet(Key("h"), Enumerable.Range(0, 120).Select(i => new KeyValuePair<RedisValue, RedisValue>($"f{i}", i)).ToArray());
        await Db.SAdd(Key("s"), Enumerable.Range(0, 130).Select(i => (RedisValue)$"m{i}").ToArray());
        await Db.ZAdd(Key("z"), Enumerable.Range(0, 140).Select(i => new SortedSetEntry($"m{i}", i)));

        var scan = Db.Scan($"{prefix}:*", pageSize: 20);
        var once = await scan.ToList();
        var twice = await scan.ToList();
        Assert.Equal(250, once.Distinct().Count());
        Assert.Equal(once.Order(), twice.Order());
        Assert.Equal(120, (await Db.HScan(Key("h"), pageSize: 10).ToList()).Count);
        Assert.Equal(130, (await Db.SScan(Key("s"), pageSize: 10).ToList()).Distinct().Count());
        var z = await Db.ZScan(Key("z"), pageSize: 10).ToList();
        Assert.Equal(140, z.Count);
        Assert.Equal(139, z.Max(e => e.Score));

        var pulled = new List<string>();
        await foreach (var key in Db.ScanAsync($"{prefix}:*", 30))
        {
            pulled.Add(key);
        }

        Assert.Equal(250, pulled.Distinct().Count());
        Assert.Equal(120, await Db.HScanAsync(Key("h"), pageSize: 10).CountAsync());
        Assert.Equal(130, await Db.SScanAsync(Key("s"), pageSize: 10).Distinct().CountAsync());
        Assert.Equal(139, await Db.ZScanAsync(Key("z"), pageSize: 10).Select(e => e.Score).MaxAsync());
        Assert.Equal(5, (await Db.Scan($"{prefix}:*", pageSize: 20).Take(5).ToList()).Count);
    }

    private sealed record Point(int X, int Y);

    private sealed class JsonCodec<T> : IRedisCodec<T>
    {
        public byte[] Encode(T value) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value);

        public T Decode(byte[] bytes) => System.Text.Json.JsonSerializer.Deserialize<T>(bytes)!;
    }
}
