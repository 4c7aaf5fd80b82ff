using System.Buffers.Binary;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Limits;

/// <summary>
/// Each embedded server (Pegasus, KT and its memcached port, Keyspace) under its <c>Limits</c> option: the connection
/// cap and idle timeout on a one-loop reactor whose clock is a <see cref="TestScheduler"/>, and a 1 GiB announced
/// length refused at once (the connection closes without the clock moving or a body byte being sent).
/// </summary>
public sealed class EmbeddedServerLimitsTests : IAsyncDisposable
{
    private static readonly ServerLimits Tight = new() { MaxConnections = 1, IdleTimeout = TimeSpan.FromMinutes(1) };

    private readonly TestScheduler _clock = new();
    private readonly ReactorFixture _fixture;

    public EmbeddedServerLimitsTests() => _fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1, Clock = _clock });

    [Fact]
    public async Task Kt_CapsConnectionsAndClosesIdleOnes()
    {
        await using var server = await KtServer.StartAsync(_fixture.Reactor, new KtServerOptions { Limits = Tight });
        await CapAndIdle(server.Address.Port, KtEcho);
    }

    [Fact]
    public async Task Kt_RefusesAGigabyteContentLengthAtOnce()
    {
        await using var server = await KtServer.StartAsync(_fixture.Reactor);
        using var client = await RawSocket.Connect(server.Address.Port);
        await client.Send("POST /rpc/set HTTP/1.1\r\nHost: a\r\nContent-Type: text/tab-separated-values\r\nContent-Length: 1073741824\r\n\r\n");
        await client.WhenClosed();
    }

    [Fact]
    public async Task Memcached_CapsConnectionsAndClosesIdleOnes()
    {
        await using var server = await KtServer.StartAsync(_fixture.Reactor, new KtServerOptions { MemcachedPort = 0, Limits = Tight });
        await CapAndIdle(server.MemcachedAddress!.Port, MemcachedVersion);
    }

    [Fact]
    public async Task Memcached_RefusesAGigabyteDataLengthAtOnce()
    {
        await using var server = await KtServer.StartAsync(_fixture.Reactor, new KtServerOptions { MemcachedPort = 0 });
        using var client = await RawSocket.Connect(server.MemcachedAddress!.Port);
        await MemcachedVersion(client);
        await client.Send("set k 0 0 1073741824\r\n");
        await client.WhenClosed();
    }

    [Fact]
    public async Task Pegasus_CapsConnectionsAndClosesIdleOnes()
    {
        await using var server = await PegasusServer.StartAsync(_fixture.Reactor, new PegasusServerOptions { Limits = Tight });

        // No raw Pegasus request is simple enough to type here: the refused second connection shows the first holds
        // the only slot, and the idle close shows it was open until the clock moved.
        await CapAndIdle(server.ReplicaEndpoints[0].Port, roundTrip: null);
    }

    [Fact]
    public async Task Pegasus_RefusesAGigabyteThriftFrameAtOnce()
    {
        await using var server = await PegasusServer.StartAsync(_fixture.Reactor);
        using var client = await RawSocket.Connect(server.ReplicaEndpoints[0].Port);

        // THFT v1: magic, version, meta length 0, body length 1 GiB.
        var header = new byte[16];
        "THFT"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 1 << 30);
        await client.Send(header);
        Assert.Equal(0, await client.WhenClosed());
    }

    [Fact]
    public async Task Keyspace_CapsConnectionsAndClosesIdleOnes()
    {
        await using var server = await KeyspaceServer.StartAsync(_fixture.Reactor, new KeyspaceServerOptions { Limits = Tight });
        await CapAndIdle(server.Address.Port, KeyspaceMasterQuery);
    }

    [Fact]
    public async Task Keyspace_RefusesAGigabyteFrameAtOnce()
    {
        await using var server = await KeyspaceServer.StartAsync(_fixture.Reactor);
        using var client = await RawSocket.Connect(server.Address.Port);
        await KeyspaceMasterQuery(client);
        await client.Send("1073741824:");
        Assert.Equal(0, await client.WhenClosed());
    }

    [Fact]
    public async Task EveryServer_ClosesASlowLorisAfterTheRequestTimeout()
    {
        await using var kt = await KtServer.StartAsync(_fixture.Reactor, new KtServerOptions { MemcachedPort = 0 });
        await using var pegasus = await PegasusServer.StartAsync(_fixture.Reactor);
        await using var keyspace = await KeyspaceServer.StartAsync(_fixture.Reactor);
        await SlowLoris(kt.Address.Port, "GET /rpc/echo HTTP/1.1\r\nHost: a\r\n");
        await SlowLoris(kt.MemcachedAddress!.Port, "get some");
        await SlowLoris(pegasus.ReplicaEndpoints[0].Port, "THFT\0\0\0\u0001");
        await SlowLoris(keyspace.Address.Port, "3:m");
    }

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    private static async Task KtEcho(RawSocket client)
    {
        await client.Send("GET /rpc/echo HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200", await client.ReadUntil("\r\n\r\n"));
    }

    private static async Task MemcachedVersion(RawSocket client)
    {
        await client.Send("version\r\n");
        Assert.StartsWith("VERSION", await client.ReadUntil("\r\n"));
    }

    private static async Task KeyspaceMasterQuery(RawSocket client)
    {
        await client.Send("3:m:7");
        Assert.StartsWith("7:o:7:", await client.ReadUntil("o:7:1:"));
    }

    /// <summary>
    /// With <see cref="Tight"/>: a second connection is closed at once while the first keeps working, and the first is
    /// closed once it has been idle for a minute of reactor time.
    /// </summary>
    private async Task CapAndIdle(int port, Func<RawSocket, Task>? roundTrip)
    {
        using var first = await RawSocket.Connect(port);
        if (roundTrip is not null)
        {
            await roundTrip(first);
        }

        using var second = await RawSocket.Connect(port);
        Assert.Equal(0, await second.WhenClosed());
        if (roundTrip is not null)
        {
            await roundTrip(first);
        }

        await Settle();
        _clock.AdvanceBy(TimeSpan.FromMinutes(1));
        await Settle();
        _clock.AdvanceBy(1);
        Assert.Equal(0, await first.WhenClosed());
    }

    /// <summary>
    /// Sends the start of a request, then a byte just before <see cref="ServerLimits.RequestTimeout"/> (the default
    /// 30 s) runs out: the request is still unfinished when it does, and the connection is closed.
    /// </summary>
    private async Task SlowLoris(int port, string start)
    {
        using var client = await RawSocket.Connect(port);
        var due = TimeSpan.FromTicks(_clock.Clock) + ServerLimits.Default.RequestTimeout!.Value;
        await client.Send(start);
        Guard.Until(() => _clock.PendingDueTimes.Contains(due), "the server starts the request timer");
        _clock.AdvanceBy(TimeSpan.FromSeconds(29));
        await client.Send(" ");
        await Settle();
        _clock.AdvanceBy(TimeSpan.FromSeconds(1));
        await client.WhenClosed();
    }

    private async Task Settle()
    {
        await _fixture.Reactor.MainLoop.InvokeAsync(() => { });
        await _fixture.Reactor.MainLoop.InvokeAsync(() => { });
    }
}
