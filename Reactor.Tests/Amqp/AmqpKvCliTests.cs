using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Tests.Examples;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary><c>kv amqp://…</c> against the test broker, in-process, each test on its own vhost.</summary>
[Collection("rabbitmq")]
[Trait("Category", "Broker")]
public sealed class AmqpKvCliTests(RabbitMqFixture fixture)
{
    [Fact]
    public async Task Publish_ThenGet_PrintsTheBodyAndProperties_AndAcks()
    {
        var url = await fixture.NewVhostAsync().Within();
        Assert.Equal((ExitCodes.Ok, "queue jobs: 0 message(s), 0 consumer(s)", ""), await Kv(url, "declare-queue", "jobs", "--durable"));

        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "publish", "", "jobs", "first", "--header", "tenant=acme", "--header", "try=1", "--persistent"));
        Assert.Equal((ExitCodes.Ok, "OK (confirmed)", ""), await Kv(url, "publish", "", "jobs", "second", "--confirm"));
        var (code, stdout, stderr) = await Kv(url, "get", "jobs");

        Assert.Equal((ExitCodes.Ok, ""), (code, stderr));
        Assert.Equal(
            ["first", "exchange: (default)", "routing-key: jobs", "redelivered: no", "messages-left: 1", "delivery-mode: 2 (persistent)", "header tenant: acme", "header try: 1"],
            Lines(stdout));
        Assert.Equal("second", Lines((await Kv(url, "get", "jobs")).Stdout)[0]);
        Assert.Equal((ExitCodes.Ok, "(empty)", ""), await Kv(url, "get", "jobs"));
    }

    [Fact]
    public async Task DeclareExchange_Bind_Publish_Purge_DeleteQueue()
    {
        var url = await fixture.NewVhostAsync().Within();
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "declare-exchange", "events", "topic", "--durable"));
        Assert.Equal(ExitCodes.Ok, (await Kv(url, "declare-queue", "audit")).Code);
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "bind", "audit", "events", "user.#"));

        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "publish", "events", "user.login", "ada"));
        Assert.Equal((ExitCodes.Ok, "OK", ""), await Kv(url, "publish", "events", "user.logout", "ada"));
        Assert.Equal((ExitCodes.Ok, "OK (confirmed)", ""), await Kv(url, "publish", "events", "order.placed", "42", "--confirm"));
        Assert.Equal((ExitCodes.Ok, "queue audit: 2 message(s), 0 consumer(s)", ""), await Kv(url, "declare-queue", "audit"));

        Assert.Equal((ExitCodes.Ok, "2 message(s) purged", ""), await Kv(url, "purge", "audit"));
        Assert.Equal(ExitCodes.Ok, (await Kv(url, "publish", "events", "user.login", "bob")).Code);
        Assert.Equal((ExitCodes.Ok, "1 message(s) deleted with the queue", ""), await Kv(url, "delete-queue", "audit"));

        var (code, stdout, stderr) = await Kv(url, "purge", "audit");
        Assert.Equal((ExitCodes.Failed, ""), (code, stdout));
        Assert.Contains("NOT_FOUND", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMandatoryConfirmedPublishNoQueueTakes_IsExitCode1()
    {
        var url = await fixture.NewVhostAsync().Within();

        var (code, stdout, stderr) = await Kv(url, "publish", "", "nobody", "lost", "--mandatory", "--confirm");

        Assert.Equal((ExitCodes.Failed, ""), (code, stdout));
        Assert.Single(Lines(stderr));
    }

    [Fact]
    public async Task Consume_PrintsEachDelivery_UntilCancelled_ThenExits0()
    {
        var url = await fixture.NewVhostAsync().Within();
        Assert.Equal(ExitCodes.Ok, (await Kv(url, "declare-queue", "feed")).Code);
        Assert.Equal(ExitCodes.Ok, (await Kv(url, "publish", "", "feed", "waiting already")).Code);
        using var stop = new CancellationTokenSource();
        var stdout = new LineWatcher(line => line == "consuming from feed (Ctrl+C to stop)");
        var running = Cli.RunAsync(["kv", url, "consume", "feed"], stdout, TextWriter.Null, stop.Token);
        await stdout.Matched.Within();
        await stdout.WaitForLineAsync(line => line == "waiting already").Within();

        Assert.Equal(ExitCodes.Ok, (await Kv(url, "publish", "", "feed", "breaking", "--header", "source=wire")).Code);
        await stdout.WaitForLineAsync(line => line == "breaking").Within();
        await stdout.WaitForLineAsync(line => line == "header source: wire").Within();
        stop.Cancel();

        Assert.Equal(ExitCodes.Ok, await running.Within());
        Assert.Equal((ExitCodes.Ok, "(empty)", ""), await Kv(url, "get", "feed"));
    }

    [Theory]
    [InlineData("get")]
    [InlineData("consume")]
    [InlineData("purge")]
    public async Task AMissingQueue_IsExitCode1_WithTheBrokersReason(string verb)
    {
        var url = await fixture.NewVhostAsync().Within();

        var (code, stdout, stderr) = await Kv(url, verb, "no-such-queue");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.DoesNotContain("no-such-queue", stdout, StringComparison.Ordinal);
        Assert.Contains("no-such-queue", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consume_EndsWithExitCode1_WhenTheQueueIsDeletedUnderIt()
    {
        var url = await fixture.NewVhostAsync().Within();
        Assert.Equal(ExitCodes.Ok, (await Kv(url, "declare-queue", "doomed")).Code);
        var (stdout, stderr) = (new LineWatcher(line => line.StartsWith("consuming from doomed", StringComparison.Ordinal)), new StringWriter());
        var running = Cli.RunAsync(["kv", url, "consume", "doomed"], stdout, stderr);
        await stdout.Matched.Within();

        Assert.Equal((ExitCodes.Ok, "0 message(s) deleted with the queue", ""), await Kv(url, "delete-queue", "doomed"));

        Assert.Equal(ExitCodes.Failed, await running.Within());
        Assert.Single(Lines(stderr.ToString()));
    }

    [Fact]
    public async Task NothingListening_IsExitCode1()
    {
        var (code, stdout, stderr) = await Kv($"amqp://guest:guest@127.0.0.1:{ReactorFixture.FreePort()}/", "get", "q");

        Assert.Equal((ExitCodes.Failed, ""), (code, stdout));
        Assert.Contains("refused", Assert.Single(Lines(stderr)), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("amqp://127.0.0.1:5672/?nosuch=1", "get", "q")]
    [InlineData("amqp://127.0.0.1:5672/", "frobnicate", "q")]
    [InlineData("amqp://127.0.0.1:5672/", "get")]
    [InlineData("amqp://127.0.0.1:5672/", "publish", "ex", "rk")]
    [InlineData("amqp://127.0.0.1:5672/", "publish", "ex", "rk", "body", "--header", "novalue")]
    [InlineData("amqp://127.0.0.1:5672/", "get", "q", "--durable")]
    [InlineData("amqp://127.0.0.1:5672/", "bind", "q", "ex")]
    public async Task BadArguments_AreUsageErrors_BeforeConnecting(params string[] args)
    {
        var (code, stdout, stderr) = await Kv(args);

        Assert.Equal((ExitCodes.Usage, ""), (code, stdout));
        Assert.Single(Lines(stderr));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Kv(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await Cli.RunAsync(["kv", .. args], stdout, stderr).Within();
        return (code, stdout.ToString().Trim(), stderr.ToString().Trim());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
