using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Examples;

public class CliTests
{
    [Fact]
    public async Task List_NamesEveryExample()
    {
        var (exitCode, stdout, _) = await RunAsync("list");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.All(ExampleCatalog.All, e => Assert.Contains(e.Name, stdout));
    }

    [Fact]
    public async Task AnExampleName_RunsThatExample_LikeRunDoes()
    {
        var (exitCode, stdout, stderr) = await RunAsync("echo-client", "--message", "shorthand works");

        Assert.True(exitCode == ExitCodes.Ok, stderr);
        Assert.Contains("receive: shorthand works", stdout);
        Assert.Contains("connection lost:", stdout);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("nosuchscheme://127.0.0.1:1234")]
    public async Task Kv_WithABadUrl_IsAUsageError_WithOneLine(string url)
    {
        var (exitCode, stdout, stderr) = await RunAsync("kv", url, "send", "hello");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Empty(stdout);
        Assert.Single(Lines(stderr));
    }

    [Fact]
    public async Task AnUnknownCommand_IsNamed_WithTheCommandsThereAre()
    {
        var (exitCode, stdout, stderr) = await RunAsync("frobnicate");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Empty(stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith("error: unknown command 'frobnicate'", line);
        Assert.Contains("serve <backend>", line);
        Assert.DoesNotContain("Required command", line);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("70000")]
    public async Task ABadPort_SaysWhatAPortIs_NotADotNetType(string port)
    {
        var (exitCode, _, stderr) = await RunAsync("serve", "echo", "--port", port);

        Assert.Equal(ExitCodes.Usage, exitCode);
        var line = Assert.Single(Lines(stderr));
        Assert.Contains($"--port expects a whole number from 0 to 65535, got '{port}'", line);
        Assert.DoesNotContain("System.", line);
    }

    [Fact]
    public async Task Kv_ToAPegasusMetaWithNothingListening_SaysRefused_NotJustAnErrorCode()
    {
        var port = ReactorFixture.FreePort();

        var (exitCode, _, stderr) = await RunAsync("kv", $"pegasus://127.0.0.1:{port}/temp", "get", "h", "s");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("refused", Assert.Single(Lines(stderr)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Kv_WithAnUnknownVerb_IsAUsageError()
    {
        var (exitCode, _, stderr) = await RunAsync("kv", "tcp://127.0.0.1:1", "dance");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("dance", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task Kv_ToAPortWithNothingListening_FailsWithRefused()
    {
        var port = ReactorFixture.FreePort();

        var (exitCode, stdout, stderr) = await RunAsync("kv", $"tcp://127.0.0.1:{port}", "send", "hello");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("refused", Assert.Single(Lines(stderr)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Kv_Send_PrintsWhatTheEchoServerSentBack()
    {
        await using var fixture = new ReactorFixture();
        var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new ReactiveKv.Examples.Echo.EchoProtocol()));

        var (exitCode, stdout, stderr) = await RunAsync("kv", $"tcp://127.0.0.1:{port.Port}", "send", "hello");
        await port.StopListening().ToTask().Within();

        Assert.True(exitCode == ExitCodes.Ok, stderr);
        Assert.Equal("hello", stdout.Trim());
    }

    [Fact]
    public async Task Kv_WhenTheServerNeverReplies_TimesOut()
    {
        await using var fixture = new ReactorFixture();
        var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new RecordingProtocol()));

        var (exitCode, stdout, stderr) = await RunAsync("kv", $"tcp://127.0.0.1:{port.Port}", "send", "hello", "--timeout", "0.2");
        await port.StopListening().ToTask().Within();

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("timed out", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeEcho_OnPortZero_PrintsItsPort_Echoes_AndStopsWhenCancelled()
    {
        var stdout = new LineWatcher(line => line.StartsWith("listening on ", StringComparison.Ordinal));
        var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();

        var serving = Cli.RunAsync(["serve", "echo", "--port", "0"], stdout, stderr, stop.Token);
        var line = await stdout.Matched.Within();
        Assert.Matches(@"^listening on 127\.0\.0\.1:\d+$", line);
        var port = int.Parse(line[(line.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, port);

        var (exitCode, echoed, _) = await RunAsync("kv", $"tcp://127.0.0.1:{port}", "send", "hello");
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal("hello", echoed.Trim());
        Assert.False(serving.IsCompleted);

        stop.Cancel();
        Assert.Equal(ExitCodes.Ok, await serving.Within());
        Assert.Empty(stderr.ToString());
        var (afterStop, _, refused) = await RunAsync("kv", $"tcp://127.0.0.1:{port}", "send", "hello");
        Assert.Equal(ExitCodes.Failed, afterStop);
        Assert.Contains("refused", refused, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ARedisExample_WithNoServerThere_FailsWithRefused()
    {
        var (exitCode, _, stderr) = await RunAsync("redis-strings", "--server", $"127.0.0.1:{ReactorFixture.FreePort()}");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("refused", Assert.Single(Lines(stderr)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ARedisExample_WithABadServerUrl_IsAUsageError()
    {
        var (exitCode, _, stderr) = await RunAsync("redis-strings", "--server", "redis://127.0.0.1:6379/notadb");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("notadb", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KvHelp_NamesEveryScheme_AndTheSubscribeOutput()
    {
        var (exitCode, stdout, _) = await RunAsync("kv", "--help");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.All(["tcp://", "redis://", "rediss://", "unix://", "amqp://", "amqps://", "'channel: payload'"], text => Assert.Contains(text, stdout, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownCommand_IsAUsageError_WithOneLine()
    {
        var (exitCode, _, stderr) = await RunAsync("frobnicate");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Single(Lines(stderr));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await Cli.RunAsync(args, stdout, stderr).Within();
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
