using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>The embedded server on a reactor whose clock is a <see cref="TestScheduler"/>: xt moves only when the test moves time.</summary>
public sealed class KtVirtualTimeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
    private readonly TestScheduler _clock = new(Start);
    private Reactor _reactor = null!;
    private KtServer _server = null!;
    private KtClient _client = null!;

    public async Task InitializeAsync()
    {
        _reactor = new Reactor(new ReactorOptions { LoopCount = 1, Clock = _clock });
        _reactor.Start();

        // No clock in the server's options: it must read the reactor's.
        _server = await KtServer.StartAsync(_reactor);
        _client = KtClient.Create(_reactor, new KtOptions { Port = _server.Address.Port });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task ARecordsXt_PassesOnlyWhenTheSchedulerMovesPastIt()
    {
        await _client.Set(B("k"), B("v"), KtExpiry.In(TimeSpan.FromSeconds(30))).ToTask().Within();
        Assert.Equal(Start.AddSeconds(30), (await _client.Get(B("k")).ToTask().Within())!.ExpiresAt);

        // ktserver keeps a record through the second of its xt and drops it after.
        _clock.AdvanceBy(TimeSpan.FromSeconds(30));
        Assert.NotNull(await _client.Get(B("k")).ToTask().Within());
        _clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Null(await _client.Get(B("k")).ToTask().Within());
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
