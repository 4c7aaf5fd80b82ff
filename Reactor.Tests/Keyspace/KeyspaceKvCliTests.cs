using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Keyspace;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Keyspace;

/// <summary><c>kv keyspace://…</c> in-process against the embedded cluster: each verb's line and exit code.</summary>
public class KeyspaceKvCliTests
{
    [Fact]
    public async Task KvKeyspace_Verbs_PrintOneLinePerResult()
    {
        await using var reactor = new Reactor();
        reactor.Start();
        await using var server = await KeyspaceServer.StartAsync(reactor, new KeyspaceServerOptions { Nodes = 3 }).Within();
        var url = server.Url;

        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "set", "user:1", "ann"));
        Assert.Equal((ExitCodes.Ok, "ann", ""), await Kv(url, "get", "user:1"));
        Assert.Equal((ExitCodes.Ok, "(not found)", ""), await Kv(url, "get", "user:9"));
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "set", "n", "5"));
        Assert.Equal((ExitCodes.Ok, "3", ""), await Kv(url, "add", "n", "-2"));
        var (failed, _, error) = await Kv(url, "add", "missing", "1");
        Assert.Equal(ExitCodes.Failed, failed);
        Assert.StartsWith("kv: server error: ADD 'missing' failed", error, StringComparison.Ordinal);
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "set", "user:2", "bob"));
        Assert.Equal((ExitCodes.Ok, "user:1\nuser:2", ""), await Kv(url, "list-keys", "--prefix", "user:"));
        Assert.Equal((ExitCodes.Ok, "user:2", ""), await Kv(url, "list-keys", "--prefix", "user:", "--backward", "--count", "1"));
        Assert.Equal((ExitCodes.Ok, "3", ""), await Kv(url, "count"));
        Assert.Equal((ExitCodes.Ok, "2", ""), await Kv(url, "count", "--prefix", "user:"));
        Assert.Equal((ExitCodes.Ok, "0", ""), await Kv(url, "get-master"));
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "delete", "user:1"));
        Assert.Equal((ExitCodes.Ok, "(not found)", ""), await Kv(url, "delete", "user:1"));
        Assert.Equal((ExitCodes.Ok, "(not found)", ""), await Kv(url, "get", "user:1"));

        var (code, stdout, stderr) = await Kv(url, "frobnicate", "k");
        Assert.Equal((ExitCodes.Usage, ""), (code, stdout));
        Assert.Contains("unknown verb 'frobnicate' for keyspace://", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await Kv(url, "get", "a", "b");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("usage: get key", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await Kv(url, "get", "a", "--prefix", "p");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--prefix applies only to", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Kv(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await Cli.RunAsync(["kv", .. args], stdout, stderr).Within();
        return (code, stdout.ToString().Trim().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString().Trim());
    }
}
