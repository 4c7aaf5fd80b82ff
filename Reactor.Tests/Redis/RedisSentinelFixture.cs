using ReactiveKv.Redis.Testing;

namespace ReactiveKv.Tests.Redis;

/// <summary>
/// One sentinel deployment and one reactor shared by the "redis-sentinel" collection. Tests that fail the deployment
/// over start their own, so the shared one keeps its original primary.
/// </summary>
public sealed class RedisSentinelFixture : IAsyncLifetime
{
    private RedisSentinelProcess? _deployment;

    /// <summary>The shared deployment (started only when the binaries are installed).</summary>
    public RedisSentinelProcess Deployment => _deployment ?? throw new InvalidOperationException("Sentinels are not installed; the test should have been skipped.");

    public Reactor Reactor { get; } = new(new ReactorOptions { LoopCount = 2 });

    public async Task InitializeAsync()
    {
        Reactor.Start();
        if (RedisSentinelProcess.IsInstalled)
        {
            _deployment = await RedisSentinelProcess.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }

        await Reactor.DisposeAsync();
    }
}
