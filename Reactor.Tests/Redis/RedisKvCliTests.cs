using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Tests.Examples;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

/// <summary><c>kv redis://…</c> against the collection's real redis-server, in-process.</summary>
[Collection("redis")]
public class RedisKvCliTests(RedisFixture fixture)
{
    private string Url => fixture.Server.Url;

    [Fact]
    public async Task Set_Get_AndHGetAll_PrintRepliesAsRedisCliDoes()
    {
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(Url, "SET", "cli:k", "v"));
        Assert.Equal((ExitCodes.Ok, "\"v\"", ""), await Kv(Url, "GET", "cli:k"));
        Assert.Equal((ExitCodes.Ok, "(integer) 2", ""), await Kv(Url, "HSET", "cli:h", "a", "1", "b", "2"));

        var (code, map, _) = await Kv(Url, "hgetall", "cli:h");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["1) \"a\" => \"1\"", "2) \"b\" => \"2\""], map.Split('\n').Select(l => l.TrimEnd('\r')).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheDatabase_ComesFromTheUrl()
    {
        await fixture.Client.Database(3).Set("cli:db", "three");

        Assert.Equal((ExitCodes.Ok, "\"three\"", ""), await Kv($"{Url}/3", "GET", "cli:db"));
        Assert.Equal((ExitCodes.Ok, "(nil)", ""), await Kv($"{Url}/0", "GET", "cli:db"));
    }

    [Fact]
    public async Task AServerError_IsExitCode1_WithTheServersMessageOnOneLine()
    {
        await fixture.Client.Db.Set("cli:text", "not a number");

        var (code, stdout, stderr) = await Kv(Url, "INCR", "cli:text");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Empty(stdout);
        Assert.Contains("ERR value is not an integer", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task NothingListening_IsExitCode1_SayingRefused()
    {
        var (code, stdout, stderr) = await Kv($"redis://127.0.0.1:{ReactorFixture.FreePort()}", "PING");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Empty(stdout);
        Assert.Contains("refused", Assert.Single(Lines(stderr)), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("redis://bad:url:x", "PING")]
    [InlineData("redis://127.0.0.1:6379/notadb", "PING")]
    [InlineData("redis://127.0.0.1:6379?nosuchoption=1", "PING")]
    public async Task ABadRedisUrl_IsAUsageError_BeforeConnecting(string url, string command)
    {
        var (code, _, stderr) = await Kv(url, command);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(Lines(stderr));
    }

    [Theory]
    [InlineData("SELECT", "1")]
    [InlineData("MULTI")]
    [InlineData("subscribe")]
    public async Task CommandsTheClientManages_AreUsageErrors(params string[] command)
    {
        var (code, _, stderr) = await Kv([Url, .. command]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.DoesNotContain("Parameter", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task Subscribe_PrintsEachMessage_UntilCancelled_ThenExits0()
    {
        using var stop = new CancellationTokenSource();
        var stdout = new LineWatcher(line => line == "subscribed to cli:news");
        var running = Cli.RunAsync(["kv", Url, "subscribe", "cli:news", "cli:sport"], stdout, TextWriter.Null, stop.Token);
        await stdout.Matched.Within();
        await stdout.WaitForLineAsync(line => line == "subscribed to cli:sport").Within();

        Assert.Equal(1, await fixture.Client.Publish("cli:news", "breaking"));
        Assert.Equal(1, await fixture.Client.Publish("cli:sport", "goal"));
        await stdout.WaitForLineAsync(line => line == "cli:news: breaking").Within();
        await stdout.WaitForLineAsync(line => line == "cli:sport: goal").Within();
        stop.Cancel();

        Assert.Equal(ExitCodes.Ok, await running.Within());
    }

    [Fact]
    public async Task PSubscribe_PrintsMessagesOnMatchingChannels()
    {
        using var stop = new CancellationTokenSource();
        var stdout = new LineWatcher(line => line == "subscribed to cli:weather:*");
        var running = Cli.RunAsync(["kv", Url, "psubscribe", "cli:weather:*"], stdout, TextWriter.Null, stop.Token);
        await stdout.Matched.Within();

        await fixture.Client.Publish("cli:weather:oslo", "snow");
        await stdout.WaitForLineAsync(line => line == "cli:weather:oslo: snow").Within();
        stop.Cancel();

        Assert.Equal(ExitCodes.Ok, await running.Within());
    }

    [Fact]
    public async Task Monitor_PrintsEachCommandAsRedisCliDoes_UntilCancelled_ThenExits0()
    {
        using var stop = new CancellationTokenSource();
        var stdout = new LineWatcher(line => line.EndsWith("] \"SET\" \"cli:monitored\" \"a \\\"b\\\"\\n\"", StringComparison.Ordinal));
        var running = Cli.RunAsync(["kv", Url + "?name=kv-monitor", "monitor"], stdout, TextWriter.Null, stop.Token);

        // The server says when MONITOR took effect (flag O on our named connection); until then a SET would go unseen.
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!((await fixture.Client.Db.Execute("CLIENT", "LIST")).Text ?? "").Split('\n').Any(l => l.Contains(" name=kv-monitor ", StringComparison.Ordinal) && l.Contains(" flags=O ", StringComparison.Ordinal)))
        {
            Assert.True(started.Elapsed < Guard.Timeout, "MONITOR never took effect");
            await Task.Yield();
        }

        await fixture.Client.Db.Set("cli:monitored", "a \"b\"\n");
        await stdout.Matched.Within();
        stop.Cancel();

        Assert.Equal(ExitCodes.Ok, await running.Within());
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Kv(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await Cli.RunAsync(["kv", .. args], stdout, stderr).Within();
        return (code, stdout.ToString().Trim(), stderr.ToString().Trim());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
