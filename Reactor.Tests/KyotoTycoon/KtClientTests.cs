using System.Reactive.Linq;
using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>The client against the embedded server over loopback: RPC procedures, REST-free typed results, the binary protocol.</summary>
public sealed class KtClientTests() : KtServerTest(2)
{
    private readonly TestScheduler _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));

    protected override KtServerOptions ServerOptions => new() { Databases = ["*", "%"], Clock = _clock };

    [Fact]
    public async Task SetGetAddReplaceRemove_GiveTypedResults()
    {
        await Client.Set(B("k"), B("v1")).ToTask().Within();

        Assert.Equal("v1", S((await Client.Get(B("k")).ToTask().Within())!.Value));
        Assert.False(await Client.Add(B("k"), B("v2")).ToTask().Within());
        Assert.True(await Client.Replace(B("k"), B("v3")).ToTask().Within());
        Assert.False(await Client.Replace(B("nope"), B("x")).ToTask().Within());
        Assert.Equal(2, await Client.Check(B("k")).ToTask().Within());
        Assert.True(await Client.Remove(B("k")).ToTask().Within());
        Assert.False(await Client.Remove(B("k")).ToTask().Within());
        Assert.Null(await Client.Get(B("k")).ToTask().Within());
        Assert.Null(await Client.Check(B("k")).ToTask().Within());
    }

    [Fact]
    public async Task BinaryKeysAndValues_SurviveTheColumnEncodings()
    {
        var key = new byte[] { 0, 1, 9, 10, 13, 0x7F, 0xFF, (byte)'_' };
        var value = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var tabs = B("a\tb\nc");

        await Client.Set(key, value).ToTask().Within();
        await Client.Set(B("tabs"), tabs).ToTask().Within();
        await Client.Set(B("long"), B(new string('x', 400))).ToTask().Within();

        Assert.Equal(value, (await Client.Get(key).ToTask().Within())!.Value);
        Assert.Equal(tabs, (await Client.Get(B("tabs")).ToTask().Within())!.Value);
        Assert.Equal(400, (await Client.Get(B("long")).ToTask().Within())!.Value.Length);
        var bulk = await Client.GetBulk([key, B("tabs"), B("missing")]).ToTask().Within();
        Assert.Equal(2, bulk.Count);
        Assert.Contains(bulk, r => r.Key.AsSpan().SequenceEqual(key) && r.Value.AsSpan().SequenceEqual(value));
    }

    [Fact]
    public async Task Expiry_IsRelativeOrAbsolute_AndReadBackAsAbsolute()
    {
        await Client.Set(B("rel"), B("v"), KtExpiry.In(TimeSpan.FromSeconds(60))).ToTask().Within();
        await Client.Set(B("abs"), B("v"), KtExpiry.At(_clock.Now.AddHours(1))).ToTask().Within();
        await Client.Set(B("never"), B("v")).ToTask().Within();

        Assert.Equal(_clock.Now.AddSeconds(60), (await Client.Get(B("rel")).ToTask().Within())!.ExpiresAt);
        Assert.Equal(_clock.Now.AddHours(1), (await Client.Get(B("abs")).ToTask().Within())!.ExpiresAt);
        Assert.Null((await Client.Get(B("never")).ToTask().Within())!.ExpiresAt);

        _clock.AdvanceBy(TimeSpan.FromSeconds(61));
        Assert.Null(await Client.Get(B("rel")).ToTask().Within());
        Assert.NotNull(await Client.Get(B("abs")).ToTask().Within());

        // append without xt removes the expiration, as the real server does.
        await Client.Append(B("abs"), B("w")).ToTask().Within();
        Assert.Null((await Client.Get(B("abs")).ToTask().Within())!.ExpiresAt);
    }

    [Fact]
    public async Task IncrementOrigins_TryFailsOnAMissingRecord_SetOverwrites()
    {
        var missing = await Assert.ThrowsAsync<KtException>(() => Client.Increment(B("c"), 1, KtIncrementOrigin.Try).ToTask().Within());
        Assert.Equal(450, missing.Status);
        Assert.Null(await Client.Get(B("c")).ToTask().Within());

        Assert.Equal(10, await Client.Increment(B("c"), 10).ToTask().Within());
        Assert.Equal(11, await Client.Increment(B("c"), 1, KtIncrementOrigin.Try).ToTask().Within());
        Assert.Equal(7, await Client.Increment(B("c"), 7, KtIncrementOrigin.Set).ToTask().Within());
        Assert.Equal(7, await Client.Increment(B("c"), 0).ToTask().Within());

        await Assert.ThrowsAsync<KtException>(() => Client.IncrementDouble(B("f"), 1m, KtIncrementOrigin.Try).ToTask().Within());
        Assert.Equal(3.5m, await Client.IncrementDouble(B("f"), 1m, 2.5m).ToTask().Within());
        Assert.Equal(0.25m, await Client.IncrementDouble(B("f"), 0.25m, KtIncrementOrigin.Set).ToTask().Within());
    }

    [Fact]
    public async Task Increment_StoresEightBytes_AndIncrementDouble_Sixteen()
    {
        Assert.Equal(5, await Client.Increment(B("n"), 5).ToTask().Within());
        Assert.Equal(3, await Client.Increment(B("n"), -2).ToTask().Within());
        Assert.Equal(103, await Client.Increment(B("m"), 3, orig: 100).ToTask().Within());
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 3 }, (await Client.Get(B("n")).ToTask().Within())!.Value);

        Assert.Equal(1.5m, await Client.IncrementDouble(B("d"), 1.5m).ToTask().Within());
        Assert.Equal(1.25m, await Client.IncrementDouble(B("d"), -0.25m).ToTask().Within());
        Assert.Equal(16, (await Client.Get(B("d")).ToTask().Within())!.Value.Length);

        await Client.Set(B("text"), B("12")).ToTask().Within();
        var error = await Assert.ThrowsAsync<KtException>(() => Client.Increment(B("text"), 1).ToTask().Within());
        Assert.Equal(450, error.Status);
        Assert.Equal("increment", error.Procedure);
    }

    [Fact]
    public async Task Cas_Seize_AndBulkOperations()
    {
        Assert.True(await Client.Cas(B("c"), null, B("one")).ToTask().Within());
        Assert.False(await Client.Cas(B("c"), B("two"), B("three")).ToTask().Within());
        Assert.True(await Client.Cas(B("c"), B("one"), null).ToTask().Within());
        Assert.Null(await Client.Get(B("c")).ToTask().Within());

        Assert.Equal(3, await Client.SetBulk([new(B("b1"), B("1")), new(B("b2"), B("2")), new(B("b3"), B("3"))], atomic: true).ToTask().Within());
        Assert.Equal("2", S((await Client.Seize(B("b2")).ToTask().Within())!.Value));
        Assert.Null(await Client.Get(B("b2")).ToTask().Within());
        Assert.Equal(2, await Client.RemoveBulk([B("b1"), B("b2"), B("b3")]).ToTask().Within());
    }

    [Fact]
    public async Task MatchPrefixAndRegex_ReturnKeysInTheServersOrder()
    {
        await using var tree = KtClient.Create(Reactor, new KtOptions { Port = Server.Address.Port, Database = "%" });
        await tree.SetBulk([.. new[] { "user:b", "user:a", "item:1", "user:c" }.Select(k => new KeyValuePair<byte[], byte[]>(B(k), B("v")))]).ToTask().Within();

        Assert.Equal(["user:a", "user:b", "user:c"], (await tree.MatchPrefix(B("user:")).ToTask().Within()).Select(S));
        Assert.Equal(["user:a", "user:b"], (await tree.MatchPrefix(B("user:"), max: 2).ToTask().Within()).Select(S));
        Assert.Equal(["item:1"], (await tree.MatchRegex("^item:[0-9]$").ToTask().Within()).Select(S));
        Assert.Equal(450, (await Assert.ThrowsAsync<KtException>(() => tree.MatchRegex("(").ToTask().Within())).Status);
        Assert.Equal("4", (await tree.Status().ToTask().Within())["count"]);
        Assert.Equal("0", (await Client.Status().ToTask().Within())["count"]);
    }

    [Fact]
    public async Task UnknownProceduresAndDatabases_AreTypedErrors()
    {
        var (status, output) = await Client.Call("no_such_procedure", []).ToTask().Within();
        Assert.Equal(501, status);
        Assert.Contains(output, e => S(e.Name) == "ERROR" && S(e.Value) == "not implemented: no_such_procedure");

        await using var wrong = KtClient.Create(Reactor, new KtOptions { Port = Server.Address.Port, Database = "nope" });
        var error = await Assert.ThrowsAsync<KtException>(() => wrong.Get(B("k")).ToTask().Within());
        Assert.Equal((400, "no such database"), (error.Status, error.ServerMessage));
    }

    [Fact]
    public async Task Echo_Void_AndReport_Answer()
    {
        await Client.Void().ToTask().Within();
        var echoed = await Client.Echo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "x\ty" }).ToTask().Within();
        var report = await Client.Report().ToTask().Within();

        Assert.Equal("x\ty", echoed["b"]);
        Assert.Equal("0.9.56b (2.19)", report["conf_kt_version"]);
        Assert.True(report.ContainsKey("db_1"));
    }

    [Fact]
    public async Task TheBinaryProtocol_SharesTheConnection_WithAndWithoutReplies()
    {
        var records = Enumerable.Range(0, 100).Select(i => new KeyValuePair<byte[], byte[]>(B($"bin{i:000}"), B($"value{i}"))).ToList();

        Assert.Equal(100, await Client.SetBulkBinary(records, KtExpiry.In(TimeSpan.FromSeconds(30))).ToTask().Within());
        Assert.Null(await Client.SetBulkBinary([new(B("quiet"), B("q"))], noReply: true).ToTask().Within());
        var hits = await Client.GetBulkBinary([B("bin007"), B("missing"), B("quiet"), B("bin007")]).ToTask().Within();
        var viaRpc = await Client.Get(B("bin042")).ToTask().Within();

        Assert.Equal(["bin007", "quiet", "bin007"], hits.Select(h => S(h.Key)));
        Assert.Equal(_clock.Now.AddSeconds(30), hits[0].ExpiresAt);
        Assert.Null(hits[1].ExpiresAt);
        Assert.Equal("value42", S(viaRpc!.Value));
        Assert.Equal(2, await Client.RemoveBulkBinary([B("bin000"), B("bin001"), B("missing")]).ToTask().Within());
        Assert.Null(await Client.RemoveBulkBinary([B("bin002")], noReply: true).ToTask().Within());
        Assert.Null(await Client.Get(B("bin002")).ToTask().Within());
    }

    [Fact]
    public async Task ACursor_WalksEveryRecordInOrder_AndIsDeletedWhenDisposed()
    {
        await using var tree = KtClient.Create(Reactor, new KtOptions { Port = Server.Address.Port, Database = "1" });
        await tree.SetBulk([.. Enumerable.Range(0, 25).Select(i => new KeyValuePair<byte[], byte[]>(B($"k{i:00}"), B($"v{i}")))]).ToTask().Within();

        var all = await tree.Cursor().Select(r => S(r.Key)).ToList().ToTask().Within();
        var fromMiddle = await tree.Cursor(B("k20")).Select(r => S(r.Key)).ToList().ToTask().Within();
        var backward = await tree.Cursor(B("k03"), backward: true).Select(r => S(r.Key)).ToList().ToTask().Within();
        var firstTwo = await tree.Cursor().Take(2).Select(r => S(r.Value)).ToList().ToTask().Within();

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"k{i:00}"), all);
        Assert.Equal(["k20", "k21", "k22", "k23", "k24"], fromMiddle);
        Assert.Equal(["k03", "k02", "k01", "k00"], backward);
        Assert.Equal(["v0", "v1"], firstTwo);
    }

    [Fact]
    public async Task ACursorHandle_DrivesEveryCursorProcedure()
    {
        await using var tree = KtClient.Create(Reactor, new KtOptions { Port = Server.Address.Port, Database = "%" });
        await tree.SetBulk([.. new[] { "a", "b", "c", "d" }.Select(k => new KeyValuePair<byte[], byte[]>(B(k), B("v" + k)))]).ToTask().Within();
        await using var cursor = tree.OpenCursor();

        Assert.Null(await cursor.Get().ToTask().Within());
        Assert.True(await cursor.Jump(B("b")).ToTask().Within());
        Assert.Equal("b", S((await cursor.GetKey(step: true).ToTask().Within())!));
        Assert.Equal("vc", S((await cursor.GetValue().ToTask().Within())!));
        Assert.True(await cursor.SetValue(B("new-c"), expiry: KtExpiry.In(TimeSpan.FromMinutes(1))).ToTask().Within());
        var seized = await cursor.Seize().ToTask().Within();
        Assert.Equal(("c", "new-c"), (S(seized!.Key), S(seized.Value)));
        Assert.Equal("d", S((await cursor.Get().ToTask().Within())!.Key));
        Assert.True(await cursor.Remove().ToTask().Within());
        Assert.False(await cursor.Step().ToTask().Within());
        Assert.True(await cursor.JumpBack().ToTask().Within());
        Assert.Equal("b", S((await cursor.GetKey().ToTask().Within())!));
        Assert.True(await cursor.StepBack().ToTask().Within());
        Assert.Equal("a", S((await cursor.GetKey().ToTask().Within())!));
        Assert.False(await cursor.StepBack().ToTask().Within());
        Assert.Equal(["a", "b"], (await tree.MatchPrefix([]).ToTask().Within()).Select(S));
    }

    [Fact]
    public async Task CursorQuirks_FollowTheServer()
    {
        var (unknownDelete, _) = await Client.Call("cur_delete", [("CUR", B("77"))]).ToTask().Within();
        var (noCursor, _) = await Client.Call("cur_get", [("CUR", B("x"))]).ToTask().Within();
        var (backOnHash, _) = await Client.Call("cur_jump_back", [("CUR", B("5"))]).ToTask().Within();
        var (nowhere, _) = await Client.Call("cur_get", [("CUR", B("6"))]).ToTask().Within();

        Assert.Equal(501, unknownDelete);
        Assert.Equal(400, noCursor);
        Assert.Equal(501, backOnHash);
        Assert.Equal(450, nowhere);
    }

    [Fact]
    public async Task Rest_GetPutHeadDelete_WithModesAndAbsoluteExpiry()
    {
        var key = B("rest/key é+");

        Assert.True(await Client.RestPut(key, B("v1"), expiresAt: _clock.Now.AddDays(1)).ToTask().Within());
        Assert.False(await Client.RestPut(key, B("v2"), KtRestMode.Add).ToTask().Within());
        Assert.False(await Client.RestPut(B("absent"), B("v"), KtRestMode.Replace).ToTask().Within());
        var record = await Client.RestGet(key).ToTask().Within();
        Assert.Equal("v1", S(record!.Value));
        Assert.Equal(_clock.Now.AddDays(1), record.ExpiresAt);
        Assert.Equal(2, await Client.RestHead(key).ToTask().Within());
        Assert.Equal("v1", S((await Client.Get(key).ToTask().Within())!.Value));
        Assert.True(await Client.RestDelete(key).ToTask().Within());
        Assert.False(await Client.RestDelete(key).ToTask().Within());
        Assert.Null(await Client.RestGet(key).ToTask().Within());
        Assert.Null(await Client.RestHead(key).ToTask().Within());
    }

    [Fact]
    public async Task Packers_RoundTripThroughTheServer()
    {
        var json = ValuePackers.Json<Dictionary<string, int>>();
        await Client.Set(B("json"), new Dictionary<string, int> { ["a"] = 1 }, json).ToTask().Within();
        await Client.Set(B("text"), "héllo", ValuePackers.Utf8).ToTask().Within();
        var memcache = new MemcachePacker<string>(ValuePackers.Utf8, flags: 0x10, gzip: true, gzipThreshold: 100);
        await Client.Set(B("mc"), new string('z', 1000), memcache).ToTask().Within();

        Assert.Equal(1, (await Client.Get(B("json"), json).ToTask().Within())!["a"]);
        Assert.Equal("héllo", await Client.Get(B("text"), ValuePackers.Utf8).ToTask().Within());
        Assert.Equal(new string('z', 1000), await Client.Get(B("mc"), memcache).ToTask().Within());
        var stored = (await Client.Get(B("mc")).ToTask().Within())!.Value;
        Assert.True(stored.Length < 100, "gzip made 1000 z's small");
        MemcachePacker<string>.Split(stored, out var flags);
        Assert.Equal(0x11u, flags);
        Assert.Null(await Client.Get(B("absent"), ValuePackers.Utf8).ToTask().Within());
    }

    [Fact]
    public async Task NothingListening_IsATypedConnectError()
    {
        await using var client = KtClient.Create(Reactor, new KtOptions { Port = ReactorFixture.FreePort(), OperationTimeout = TimeSpan.FromSeconds(5) });

        var error = await Assert.ThrowsAsync<ClientConnectionException>(() => client.Void().ToTask().Within());
        Assert.IsAssignableFrom<ConnectException>(error.InnerException);
        Assert.False(error.MayHaveExecuted);
        Assert.Contains("not reachable", error.Message);
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
