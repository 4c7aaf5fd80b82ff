using System.Diagnostics;
using ReactiveKv.Tests.Clients;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Telemetry;

/// <summary>
/// The measuring done once for every backend, in the client connection service, on the toy backend over virtual
/// time: nothing is made for a request while nothing listens; failures the service decides (a loss, a deadline) end
/// the measurement with their error type; the backlog and reconnects are counted.
/// </summary>
[Collection("telemetry")]
public sealed class SharedTelemetryTests
{
    private const string ToyName = "ReactiveKv.Tests.Toy";

    private static readonly ClientTelemetry Toy = ClientTelemetry.ForDatabase(ToyName, "toy");

    private static readonly ReconnectPolicy Steady = new() { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 };

    [Fact]
    public async Task WithNothingListening_ARequestCarriesNoMeasurement_AndNoActivityIsMade()
    {
        await using var toy = await ToyService.StartAsync(telemetry: Toy);
        await toy.Accept();
        Assert.False(Toy.Source.HasListeners());
        Assert.False(Toy.Observed);

        var request = await toy.Submit("A");
        Assert.Null(request.Measured);
        await toy.Reply("a\n");
        Assert.Equal("a", await request.Result.ToTask().Within());
        Assert.Null(Activity.Current);
    }

    [Fact]
    public async Task WithAListener_ARequestIsMeasuredUntilItSettles_AndTheCallersActivityIsLeftCurrent()
    {
        await using var toy = await ToyService.StartAsync(telemetry: Toy);
        await toy.Accept();
        using var capture = new TelemetryCapture(ToyName);

        var request = await toy.Submit("A");
        Assert.NotNull(request.Measured);
        Assert.Same(capture.Root, Activity.Current);
        await toy.Reply("a\n");
        Assert.Equal("a", await request.Result.ToTask().Within());

        Assert.Null(request.Measured);
        var activity = Assert.Single(capture.Activities);
        Assert.Equal("A", activity.DisplayName);
        Assert.Equal("toy", activity.GetTagItem("db.system.name"));
        Assert.Equal("toy", activity.GetTagItem("server.address"));
        Assert.Equal(1, activity.GetTagItem("server.port"));
        Assert.Single(capture.Of("db.client.operation.duration", 1));
    }

    [Fact]
    public async Task ADeadline_EndsTheMeasurement_AsATimeout_WithItsErrorType()
    {
        await using var toy = await ToyService.StartAsync(new ClientConnectionOptions { OperationTimeout = TimeSpan.FromSeconds(2) }, telemetry: Toy);
        await toy.Accept();
        using var capture = new TelemetryCapture(ToyName);

        var request = await toy.Submit("SLOW");
        await toy.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<OperationTimeoutException>(() => request.Result.ToTask().Within());

        var activity = Assert.Single(capture.Activities);
        Assert.Equal(typeof(OperationTimeoutException).FullName, activity.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        var count = Assert.Single(capture.Of("reactivekv.client.operations", 1));
        Assert.Equal("timeout", count["reactivekv.outcome"]);
        Assert.Equal(typeof(OperationTimeoutException).FullName, count["error.type"]);
    }

    [Fact]
    public async Task ALoss_EndsWrittenRequests_WithTheLossAsErrorType_CountsTheBacklog_AndTheReconnect()
    {
        await using var toy = await ToyService.StartAsync(new ClientConnectionOptions { MaxInFlight = 1, Reconnect = Steady }, telemetry: Toy);
        await toy.Accept();
        using var capture = new TelemetryCapture(ToyName);
        var written = await toy.Submit("W");
        var waiting = await toy.Submit("Q");
        Assert.Equal(1, capture.Of("reactivekv.client.backlog").Sum(m => m.Value));

        await toy.OnLoop(() => toy.Connector.Drop());
        await Assert.ThrowsAsync<ConnectionLostException>(() => written.Result.ToTask().Within());
        Assert.Equal(typeof(ConnectionLostException).FullName, Assert.Single(capture.Activities).GetTagItem("error.type"));

        await toy.Advance(TimeSpan.FromMilliseconds(200));
        await toy.Accept();
        await toy.Reply("ok\n");
        Assert.Equal("ok", await waiting.Result.ToTask().Within());
        Assert.Equal(0, capture.Of("reactivekv.client.backlog").Sum(m => m.Value));
        var reconnect = Assert.Single(capture.Of("reactivekv.client.reconnects"));
        Assert.Equal("toy", reconnect["db.system.name"]);
        Assert.Equal(2, capture.Activities.Count);
        Assert.Equal(0, capture.Of("reactivekv.client.operations.active").Sum(m => m.Value));
    }

    [Theory]
    [InlineData("127.0.0.1:6379", "127.0.0.1", 6379)]
    [InlineData("[::1]:6380", "::1", 6380)]
    [InlineData("localhost:5672 vhost '/'", "localhost", 5672)]
    [InlineData("/tmp/redis.sock", "/tmp/redis.sock", null)]
    [InlineData("::1", "::1", null)]
    public void TheServerAddressAndPort_AreReadFromTheServicesName(string server, string address, int? port)
    {
        var (a, p) = ServiceTelemetry.Split(server);
        Assert.Equal(address, a);
        Assert.Equal(port, (int?)p);
    }
}
