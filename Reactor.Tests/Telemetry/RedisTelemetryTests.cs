using System.Diagnostics;
using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Tests.Redis;

namespace ReactiveKv.Tests.Telemetry;

/// <summary>The Redis client's activities and metrics against a real redis-server, with OpenTelemetry's database conventions.</summary>
[Collection("telemetry")]
public sealed class RedisTelemetryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly RedisServerProcess _server = redis.Server;
    private readonly RedisClient _client = redis.Client;

    [Fact]
    public async Task AGet_IsOneClientActivity_UnderTheCallersActivity_WithTheDatabaseConventions()
    {
        using var capture = new TelemetryCapture(TelemetryNames.Redis);
        await _client.Db.Set("telemetry:k", "v");
        Assert.Equal("v", await _client.Db.Get("telemetry:k"));

        var get = Assert.Single(capture.Activities, a => a.DisplayName == "GET");
        Assert.Equal(ActivityKind.Client, get.Kind);
        Assert.Equal(TelemetryNames.Redis, get.Source.Name);
        Assert.Equal("redis", get.GetTagItem("db.system.name"));
        Assert.Equal("GET", get.GetTagItem("db.operation.name"));
        Assert.Equal("127.0.0.1", get.GetTagItem("server.address"));
        Assert.Equal(_server.Port, get.GetTagItem("server.port"));
        Assert.Equal("0", get.GetTagItem("db.namespace"));
        Assert.Null(get.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, get.Status);
        Assert.Same(capture.Root, Activity.Current);
    }

    [Fact]
    public async Task AnErrorReply_SetsErrorType_OnTheActivity_AndTheDuration()
    {
        using var capture = new TelemetryCapture(TelemetryNames.Redis);
        await _client.Db.Set("telemetry:text", "not a number");
        await Assert.ThrowsAsync<RedisReplyException>(async () => await _client.Db.Incr("telemetry:text"));

        var incr = Assert.Single(capture.Activities, a => a.DisplayName == "INCR");
        Assert.Equal(typeof(RedisReplyException).FullName, incr.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, incr.Status);
        var duration = Assert.Single(capture.Of("db.client.operation.duration", _server.Port), m => (string?)m["db.operation.name"] == "INCR");
        Assert.Equal(typeof(RedisReplyException).FullName, duration["error.type"]);
        var count = Assert.Single(capture.Of("reactivekv.client.operations", _server.Port), m => (string?)m["db.operation.name"] == "INCR");
        Assert.Equal("error", count["reactivekv.outcome"]);
    }

    [Fact]
    public async Task EachOperation_RecordsItsDurationInSeconds_AndItsCount_AndLeavesNothingActive()
    {
        using var capture = new TelemetryCapture(TelemetryNames.Redis);
        for (var i = 0; i < 3; i++)
        {
            await _client.Db.Get("telemetry:missing");
        }

        var durations = capture.Of("db.client.operation.duration", _server.Port).Where(m => (string?)m["db.operation.name"] == "GET").ToList();
        Assert.Equal(3, durations.Count);
        Assert.All(durations, m =>
        {
            Assert.Equal("s", m.Unit);
            Assert.Equal("redis", m["db.system.name"]);
            Assert.Equal("127.0.0.1", m["server.address"]);
            Assert.InRange(m.Value, 0, 10);
            Assert.False(m.Tags.ContainsKey("error.type"));
        });
        var counts = capture.Of("reactivekv.client.operations", _server.Port).Where(m => (string?)m["db.operation.name"] == "GET").ToList();
        Assert.Equal(3, counts.Count);
        Assert.All(counts, m => Assert.Equal("ok", m["reactivekv.outcome"]));
        var active = capture.Of("reactivekv.client.operations.active").Where(m => (string?)m["db.operation.name"] == "GET").Sum(m => m.Value);
        Assert.Equal(0, active);
    }

    [Fact]
    public async Task WithNothingListening_NoActivityIsStarted_AndNothingIsMeasured()
    {
        Assert.False(RedisTelemetry.Instance.Source.HasListeners());
        Assert.False(RedisTelemetry.Instance.Observed);
        await _client.Db.Get("telemetry:unobserved");
        Assert.Null(Activity.Current);
    }
}
