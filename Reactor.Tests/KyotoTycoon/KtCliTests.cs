using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Tests.Examples;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary><c>serve kt</c> and <c>kv kt://…</c>, in-process.</summary>
public class KtCliTests
{
    [Fact]
    public async Task ServeKt_AndKvVerbs_OverRpcAndBinary()
    {
        var stdout = new LineWatcher(line => line.StartsWith("listening on ", StringComparison.Ordinal));
        using var stop = new CancellationTokenSource();
        var serving = Cli.RunAsync(["serve", "kt", "--port", "0", "--db", "*", "--db", "%"], stdout, new StringWriter(), stop.Token);
        var line = await stdout.Matched.Within();
        var url = $"kt://{line["listening on ".Length..]}";

        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "set", "a", "1"));
        Assert.Equal((ExitCodes.Ok, "1", ""), await Kv(url, "get", "a"));
        Assert.Equal((ExitCodes.Ok, "(exists)", ""), await Kv(url, "add", "a", "2"));
        Assert.Equal((ExitCodes.Ok, "2 stored", ""), await Kv(url, "bulk-set", "x", "1", "y", "2", "--binary"));
        Assert.Equal((ExitCodes.Ok, "x => 1\ny => 2\n(2 found)", ""), Normalise(await Kv(url, "bulk-get", "x", "y", "z", "--binary")));
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url + "/1", "set", "t", "v"));
        Assert.Equal((ExitCodes.Ok, "(not found)", ""), await Kv(url, "get", "t"));
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "remove", "a"));
        Assert.Equal((ExitCodes.Ok, "(not found)", ""), await Kv(url, "get", "a"));

        var (usage, _, error) = await Kv(url, "cas", "a");
        Assert.Equal(ExitCodes.Usage, usage);
        Assert.Contains("usage: cas key old new", error);

        stop.Cancel();
        Assert.Equal(ExitCodes.Ok, await serving.Within());
    }

    [Fact]
    public async Task ServeKt_RunsTheMemcachedPlugin_WithItsOpts()
    {
        var stdout = new LineWatcher(line => line.StartsWith("memcached plugin on ", StringComparison.Ordinal));
        using var stop = new CancellationTokenSource();
        var serving = Cli.RunAsync(["serve", "kt", "--port", "0", "--memcached-port", "0", "--memcached-opts", "fq"], stdout, new StringWriter(), stop.Token);
        var line = await stdout.Matched.Within();

        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPEndPoint.Parse(line["memcached plugin on ".Length..])).WaitAsync(Guard.Timeout);
        var stream = client.GetStream();
        await stream.WriteAsync("set q 5 0 2\r\nhi\r\nget q\r\nquit\r\n"u8.ToArray());
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(Guard.Timeout);
        Assert.Equal("STORED\r\nVALUE q 5 2\r\nhi\r\nEND\r\n", System.Text.Encoding.ASCII.GetString(received.ToArray()));

        stop.Cancel();
        Assert.Equal(ExitCodes.Ok, await serving.Within());
    }

    [Fact]
    public async Task ServeKt_RejectsUnknownMemcachedOpts()
    {
        var stderr = new StringWriter();

        var code = await Cli.RunAsync(["serve", "kt", "--memcached-port", "0", "--memcached-opts", "fz"], new StringWriter(), stderr).Within();

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("only the letters f, q and r", stderr.ToString());
    }

    private static (int, string, string) Normalise((int Code, string Stdout, string Stderr) result) =>
        (result.Code, result.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal), result.Stderr);

    private static async Task<(int Code, string Stdout, string Stderr)> Kv(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await Cli.RunAsync(["kv", .. args], stdout, stderr).Within();
        return (code, stdout.ToString().Trim(), stderr.ToString().Trim());
    }
}
