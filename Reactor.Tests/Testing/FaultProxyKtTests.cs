using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.FaultInjection;

/// <summary>The Kyoto Tycoon client against the embedded <see cref="KtServer"/> through a <see cref="FaultProxy"/>.</summary>
public class FaultProxyKtTests
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    // A call's deadline is its operation timeout; the slack only absorbs a loaded machine's scheduling.
    private static readonly TimeSpan Deadline = OperationTimeout + TimeSpan.FromSeconds(4);

    [Fact]
    public async Task ResetMidFrameUnderAWriteLoad_EveryCallSettlesTyped_AcknowledgedWritesStay_NothingRunsTwice()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await KtServer.StartAsync(fixture.Reactor);
        await using var proxy = await FaultProxy.StartAsync(fixture.Reactor, "127.0.0.1", server.Address.Port);
        await using var client = KtClient.Create(fixture.Reactor, Options(proxy));

        // Increment on a key of its own per call: an acknowledged call leaves 1, a call reported as not executed
        // leaves nothing, and 2 anywhere would mean the client sent a call twice.
        // HTTP replies of a hundred-odd bytes and an odd budget: the cut lands inside a reply's headers or body.
        var calls = await FaultLoad.RunAsync("incr", 50, k => client.Increment(Encoding.ASCII.GetBytes(k), 1), () => proxy.ResetAfterBytes(1001), proxy.Heal, Deadline);

        var failures = calls.Where(c => !c.Outcome.Success).Select(c => c.Outcome.Error!).ToList();
        Assert.NotEmpty(failures);
        Assert.All(failures, e => Assert.True(e is ClientConnectionException or OperationTimeoutException, e.ToString()));
        Assert.Contains(failures, e => e is ClientConnectionException { MayHaveExecuted: true });

        // Healed: the client is back and the last round went through whole.
        Assert.All(calls.Where(c => FaultLoad.InLastRound(c.Key, "incr")), c => Assert.True(c.Outcome.Success, c.Outcome.Error?.ToString()));
        Assert.True(proxy.ConnectionsAccepted > 1);
        Assert.All(calls.Where(c => c.Outcome.Success), c => Assert.Equal(1, c.Outcome.Value));

        var records = await client.GetBulk(calls.Select(c => Encoding.ASCII.GetBytes(c.Key))).ToTask().Within();
        var stored = records.ToDictionary(r => Encoding.ASCII.GetString(r.Key), r => DecodeCounter(r.Value));
        FaultLoad.AssertStored(calls, k => stored.TryGetValue(k, out var v) ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, done: "1", untouched: null);
    }

    [Fact]
    public async Task BlackHole_CallsFailWithTheTypedTimeoutWithinTheirDeadline_AndAfterHealingTheClientIsBack()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await KtServer.StartAsync(fixture.Reactor);
        await using var proxy = await FaultProxy.StartAsync(fixture.Reactor, "127.0.0.1", server.Address.Port);
        await using var client = KtClient.Create(fixture.Reactor, Options(proxy));
        await client.Void().ToTask().Within();

        proxy.BlackHole = true;
        var calls = Enumerable.Range(0, 20).Select(i => client.Increment(Encoding.ASCII.GetBytes($"hole:{i}"), 1)).ToList();
        var outcomes = await Deferred.List(calls).ToTask().WaitAsync(Deadline);
        Assert.All(outcomes, o => Assert.IsAssignableFrom<OperationTimeoutException>(o.Error));

        // The client may still believe in its connection; cutting it makes it reconnect through the healed proxy.
        proxy.Heal();
        proxy.CutAll();
        // An idempotent call: a reply lost in the cut can make the retry run it a second time.
        await RetryUntilConnected(() => client.Set("after"u8.ToArray(), "back"u8.ToArray()));
        Assert.Equal("back"u8.ToArray(), (await client.Get("after"u8.ToArray()).ToTask().Within())!.Value);
        Assert.True(proxy.ConnectionsAccepted >= 2);

        // The black hole forwarded nothing: none of the timed-out increments ran.
        var records = await client.GetBulk(Enumerable.Range(0, 20).Select(i => Encoding.ASCII.GetBytes($"hole:{i}"))).ToTask().Within();
        Assert.Empty(records);
    }

    [Fact]
    public async Task OneByteSegmentsWithLatency_RepliesAreDecodedCorrectly()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await KtServer.StartAsync(fixture.Reactor);
        await using var proxy = await FaultProxy.StartAsync(fixture.Reactor, "127.0.0.1", server.Address.Port);
        proxy.SliceWrites = true;
        proxy.Latency = TimeSpan.FromMilliseconds(20);
        proxy.Jitter = TimeSpan.FromMilliseconds(10);
        await using var client = KtClient.Create(fixture.Reactor, Options(proxy) with { OperationTimeout = TimeSpan.FromSeconds(20) });

        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + (i % 26)))));
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await client.Set("text"u8.ToArray(), text).ToTask().Within();
        await client.Set("binary"u8.ToArray(), binary).ToTask().Within();
        await client.Set("crlf"u8.ToArray(), "a\r\n\r\nb"u8.ToArray()).ToTask().Within();

        var increments = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.Increment("counter"u8.ToArray(), 1).ToTask())).Within();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), increments.Order());
        Assert.Equal(text, (await client.Get("text"u8.ToArray()).ToTask().Within())!.Value);
        Assert.Equal(binary, (await client.Get("binary"u8.ToArray()).ToTask().Within())!.Value);
        Assert.Equal("a\r\n\r\nb"u8.ToArray(), (await client.Get("crlf"u8.ToArray()).ToTask().Within())!.Value);
        Assert.Null(await client.Get("missing"u8.ToArray()).ToTask().Within());
        Assert.Equal(proxy.BytesDownstream, proxy.WritesDownstream);
        Assert.True(proxy.BytesDownstream > 300 + 256);
    }

    private static KtOptions Options(FaultProxy proxy) => new()
    {
        Port = proxy.Port,
        OperationTimeout = OperationTimeout,
        ConnectTimeout = OperationTimeout,

        // Queued while reconnecting, so a call made just after healing waits for the new connection instead of failing.
        DisconnectedBehavior = DisconnectedBehavior.Queue,
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
    };

    // Kyoto Tycoon stores increments as 8-byte big-endian integers.
    private static long DecodeCounter(byte[] value) => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(value);

    // A call racing the cut can still fail with a typed error; the next one goes through the new connection.
    private static async Task<T> RetryUntilConnected<T>(Func<Deferred<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call().ToTask().Within();
            }
            catch (Exception e) when (attempt < 20 && e is ClientConnectionException or OperationTimeoutException)
            {
            }
        }
    }
}
