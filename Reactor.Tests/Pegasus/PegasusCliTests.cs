using System.Net;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Pegasus;
using ReactiveKv.Tests.Examples;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Pegasus;

/// <summary><c>serve pegasus</c>, <c>kv pegasus://…</c> and the Pegasus examples, in-process.</summary>
public class PegasusCliTests
{
    [Fact]
    public async Task ServePegasus_AndKvVerbs_WorkEndToEnd()
    {
        var stdout = new LineWatcher(line => line.StartsWith("listening on ", StringComparison.Ordinal));
        using var stop = new CancellationTokenSource();
        var serving = Cli.RunAsync(["serve", "pegasus", "--port", "0", "--partitions", "4", "--replicas", "2"], stdout, new StringWriter(), stop.Token);
        var line = await stdout.Matched.Within();
        var url = $"pegasus://{line["listening on ".Length..]}/temp";

        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "set", "h", "s1", "hello", "--ttl", "60"));
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "set", "h", "s2", "0xff00"));
        Assert.Equal((ExitCodes.Ok, "hello", ""), await Kv(url, "get", "h", "s1"));
        Assert.Equal((ExitCodes.Ok, "0xFF00", ""), await Kv(url, "get", "h", "s2"));
        Assert.Equal((ExitCodes.Ok, "7", ""), await Kv(url, "incr", "h", "n", "7"));
        Assert.Equal((ExitCodes.Ok, "3", ""), await Kv(url, "count", "h"));
        Assert.Equal((ExitCodes.Ok, "(not found)", ""), await Kv(url, "get", "h", "missing"));
        Assert.Equal((ExitCodes.Ok, "-1 (no TTL)", ""), await Kv(url, "ttl", "h", "s2"));

        var (code, scanned, _) = await Kv(url, "scan", "h");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["h : n => 7", "h : s1 => hello", "h : s2 => 0xFF00", "(3 records)"], scanned.Split('\n').Select(l => l.TrimEnd('\r')));

        var (usage, _, usageError) = await Kv(url, "get", "h");
        Assert.Equal(ExitCodes.Usage, usage);
        Assert.Contains("usage: get hk sk", usageError);

        stop.Cancel();
        Assert.Equal(ExitCodes.Ok, await serving.Within());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServePegasus_LegacyMeta_AnswersMetaQueriesWithoutTheHostPortFields(bool legacy)
    {
        var stdout = new LineWatcher(line => line.StartsWith("listening on ", StringComparison.Ordinal));
        using var stop = new CancellationTokenSource();
        string[] flags = legacy ? ["--legacy-meta"] : [];
        var serving = Cli.RunAsync(["serve", "pegasus", "--port", "0", "--partitions", "2", "--replicas", "1", .. flags], stdout, new StringWriter(), stop.Token);
        var meta = IPEndPoint.Parse((await stdout.Matched.Within())["listening on ".Length..]);

        await using (var connection = await RawPegasusConnection.ConnectAsync(meta))
        {
            var (error, _, answer) = await connection.CallAsync(RequestHeader.Meta(0), RpcNames.QueryConfig, new QueryConfigRequest { AppName = "temp" }, QueryConfigResponse.Read).Within();

            Assert.Equal(DsnErrors.Ok, error);
            Assert.Equal(2, answer!.Partitions.Count);
            Assert.All(answer.Partitions, p => Assert.Equal(legacy, p.HpPrimary is null));
        }

        // The client copes with either format.
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv($"pegasus://{meta}/temp", "set", "h", "s", "v"));
        Assert.Equal((ExitCodes.Ok, "v", ""), await Kv($"pegasus://{meta}/temp", "get", "h", "s"));
        stop.Cancel();
        Assert.Equal(ExitCodes.Ok, await serving.Within());
    }

    [Fact]
    public async Task ServeHelp_DocumentsLegacyMeta()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = await Cli.RunAsync(["serve", "--help"], stdout, stderr).Within();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("--legacy-meta", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("before 2.5", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingTable_IsExitCode1_NamingIt()
    {
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        reactor.Start();
        await using var server = await ReactiveKv.Pegasus.PegasusServer.StartAsync(reactor);

        var (code, _, stderr) = await Kv($"pegasus://{server.MetaList}/nope", "get", "h", "s");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("'nope' does not exist", stderr);
    }

    [Theory]
    [InlineData("pegasus-basic")]
    [InlineData("pegasus-rx-scan")]
    public async Task ThePegasusExamples_RunAgainstTheEmbeddedServer(string name)
    {
        var output = new StringWriter();

        var code = await ExampleCatalog.Find(name)!.RunAsync(new ExampleArgs(), output, CancellationToken.None).Within();

        Assert.Equal(0, code);
        Assert.Contains("embedded Pegasus server", output.ToString());
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Kv(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await Cli.RunAsync(["kv", .. args], stdout, stderr).Within();
        return (code, stdout.ToString().Trim(), stderr.ToString().Trim());
    }
}
