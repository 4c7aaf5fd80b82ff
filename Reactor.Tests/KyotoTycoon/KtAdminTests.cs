using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>play_script over RPC and binary, match_similar, synchronize and tune_replication against the embedded server.</summary>
public sealed class KtAdminTests() : KtServerTest(1)
{
    protected override KtServerOptions ServerOptions => new()
    {
        Databases = ["%"],
        Scripts = new Dictionary<string, Func<IReadOnlyDictionary<string, byte[]>, IReadOnlyDictionary<string, byte[]>>>
        {
            ["upper"] = input => input.ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(p.Value).ToUpperInvariant())),
            ["broken"] = _ => throw new KtScriptFailure(450),
        },
    };

    [Fact]
    public async Task PlayScript_OverRpcAndBinary_AndFailuresKeepTheBinaryConnection()
    {
        var input = new Dictionary<string, byte[]> { ["a"] = "x"u8.ToArray(), ["b"] = "y"u8.ToArray() };

        var rpc = await Client.PlayScript("upper", input).ToTask().Within();
        var binary = await Client.PlayScriptBinary("upper", input).ToTask().Within();
        var rpcFailure = await Assert.ThrowsAsync<KtException>(() => Client.PlayScript("broken", input).ToTask().Within());
        var unknown = await Assert.ThrowsAsync<KtException>(() => Client.PlayScript("nope", input).ToTask().Within());
        var invalid = await Assert.ThrowsAsync<KtException>(() => Client.PlayScript("bad name!", input).ToTask().Within());
        await Assert.ThrowsAsync<KtException>(() => Client.PlayScriptBinary("broken", input).ToTask().Within());
        Assert.Null(await Client.PlayScriptBinary("upper", input, noReply: true).ToTask().Within());
        var after = await Client.PlayScriptBinary("upper", input).ToTask().Within();

        Assert.Equal("X", Encoding.UTF8.GetString(rpc["a"]));
        Assert.Equal("Y", Encoding.UTF8.GetString(binary!["b"]));
        Assert.Equal((450, "the scripting procedure failed"), (rpcFailure.Status, rpcFailure.ServerMessage));
        Assert.Equal((501, "no such scripting procedure"), (unknown.Status, unknown.ServerMessage));
        Assert.Equal(400, invalid.Status);
        Assert.Equal(2, after!.Count);
    }

    [Fact]
    public async Task WithoutScripts_PlayScriptIsNotImplemented()
    {
        await using var server = await KtServer.StartAsync(Reactor);
        await using var client = KtClient.Create(Reactor, new KtOptions { Port = server.Address.Port });

        var error = await Assert.ThrowsAsync<KtException>(() => client.PlayScript("x", new Dictionary<string, byte[]>()).ToTask().Within());

        Assert.Equal((501, "the scripting extention is disabled"), (error.Status, error.ServerMessage));
    }

    [Fact]
    public async Task MatchSimilar_UsesLevenshteinDistance_ByBytesOrUtf8()
    {
        await Client.SetBulk([.. new[] { "kitten", "sitten", "sitting", "kitchen", "café", "cafe" }.Select(k => new KeyValuePair<byte[], byte[]>(Encoding.UTF8.GetBytes(k), "v"u8.ToArray()))]).ToTask().Within();

        var one = await Client.MatchSimilar("kitten"u8.ToArray()).ToTask().Within();
        var three = await Client.MatchSimilar("kitten"u8.ToArray(), 3).ToTask().Within();
        var bytes = await Client.MatchSimilar("cafe"u8.ToArray(), 1).ToTask().Within();
        var chars = await Client.MatchSimilar("cafe"u8.ToArray(), 1, utf: true).ToTask().Within();

        Assert.Equal(["kitten", "sitten"], one.Select(k => Encoding.UTF8.GetString(k)).Order());
        Assert.Equal(["kitchen", "kitten", "sitten", "sitting"], three.Select(k => Encoding.UTF8.GetString(k)).Order());
        Assert.Equal(["cafe"], bytes.Select(k => Encoding.UTF8.GetString(k)));
        Assert.Equal(["cafe", "café"], chars.Select(k => Encoding.UTF8.GetString(k)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Synchronize_Succeeds_AndTuneReplicationIsRefusedWithoutAnRtsFile()
    {
        await Client.Synchronize(hard: true).ToTask().Within();

        var error = await Assert.ThrowsAsync<KtException>(() => Client.TuneReplication("127.0.0.1", 1978).ToTask().Within());
        Assert.Equal((501, "the RTS file is not set"), (error.Status, error.ServerMessage));
    }

    [Fact]
    public async Task UpdateLogFiles_RollAtTheirLimit_AndRemoveNeverTakesTheNewest()
    {
        await using var server = await KtServer.StartAsync(Reactor, new KtServerOptions { UpdateLogFileBytes = 64, UpdateLogMaxBytes = 1 << 20 });
        await using var client = KtClient.Create(Reactor, new KtOptions { Port = server.Address.Port });
        for (var i = 0; i < 10; i++)
        {
            await client.Set(Encoding.UTF8.GetBytes($"key-{i}"), new byte[40]).ToTask().Within();
        }

        var files = await client.UpdateLogFiles().ToTask().Within();
        Assert.True(files.Count >= 3, $"{files.Count} files");
        Assert.Equal(files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => f.Path), files.Select(f => f.Path));
        Assert.Equal(server.LastTimestamp, files[^1].LastTimestamp);

        await client.RemoveUpdateLogFiles(files[1].LastTimestamp).ToTask().Within();
        Assert.Equal(files.Skip(2).Select(f => f.Path), (await client.UpdateLogFiles().ToTask().Within()).Select(f => f.Path));

        await client.RemoveUpdateLogFiles().ToTask().Within();
        Assert.Equal([files[^1].Path], (await client.UpdateLogFiles().ToTask().Within()).Select(f => f.Path));
    }

    [Fact]
    public async Task TheUpdateLog_IsBoundedInMemory_AndASlaveStartsFromTheOldestRecordKept()
    {
        await using var server = await KtServer.StartAsync(Reactor, new KtServerOptions { UpdateLogFileBytes = 256, UpdateLogMaxBytes = 1024 });
        await using var client = KtClient.Create(Reactor, new KtOptions { Port = server.Address.Port });
        for (var i = 0; i < 100; i++)
        {
            await client.Set(Encoding.UTF8.GetBytes($"key-{i:D3}"), new byte[40]).ToTask().Within();
        }

        var files = await client.UpdateLogFiles().ToTask().Within();
        Assert.InRange(files.Sum(f => f.Size), 1, 1024 + 256);
        var kept = server.LogAfter(0);
        Assert.True(kept.Count < 100, $"{kept.Count} records kept");
        Assert.Equal(server.LastTimestamp, kept[^1].Ts);
    }
}
