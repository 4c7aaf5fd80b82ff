using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

/// <summary><c>kv redis+sentinel://…</c> against the collection's real sentinels, in-process.</summary>
[Collection("redis-sentinel")]
public class RedisSentinelKvCliTests(RedisSentinelFixture fixture)
{
    private RedisSentinelProcess Deployment => fixture.Deployment;

    [SentinelFact]
    public async Task Set_Get_ThroughTheSentinels_ReachThePrimary()
    {
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(Deployment.Url, "SET", "cli:sentinel", "v"));
        Assert.Equal((ExitCodes.Ok, "\"v\"", ""), await Kv(Deployment.Url, "GET", "cli:sentinel"));

        // The write went to the primary itself.
        Assert.Equal((ExitCodes.Ok, "\"v\"", ""), await Kv(Deployment.Primary.Url, "GET", "cli:sentinel"));
    }

    [SentinelFact]
    public async Task TheDatabase_ComesAfterTheMasterName()
    {
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv($"{Deployment.Url}/4", "SET", "cli:sentinel:db", "four"));

        Assert.Equal((ExitCodes.Ok, "\"four\"", ""), await Kv($"{Deployment.Primary.Url}/4", "GET", "cli:sentinel:db"));
        Assert.Equal((ExitCodes.Ok, "(nil)", ""), await Kv($"{Deployment.Url}/0", "GET", "cli:sentinel:db"));
    }

    [SentinelFact]
    public async Task ANameThatLeadsToAReplica_IsExitCode1_SayingItIsNotThePrimary()
    {
        var (code, stdout, stderr) = await Kv(Deployment.UrlFor(Deployment.StaleServiceName), "PING");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Empty(stdout);
        Assert.Contains("not master", Assert.Single(Lines(stderr)));
    }

    [Theory]
    [InlineData("redis+sentinel://127.0.0.1:26379")]
    [InlineData("redis+sentinel://127.0.0.1:26379/mymaster/notadb")]
    public async Task ABadSentinelUrl_IsAUsageError_BeforeConnecting(string url)
    {
        var (code, _, stderr) = await Kv(url, "PING");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(Lines(stderr));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Kv(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await Cli.RunAsync(["kv", .. args], stdout, stderr).Within();
        return (code, stdout.ToString().Trim(), stderr.ToString().Trim());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
