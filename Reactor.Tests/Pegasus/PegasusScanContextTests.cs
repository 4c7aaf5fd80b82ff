using ReactiveKv.Pegasus;
using ReactiveKv.Pegasus.Thrift;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Pegasus;

/// <summary>
/// Scanner contexts are bounded (issue 15): freed when their connection closes, dropped after idling on the server's
/// clock (virtual here), and capped per server. Real sockets, a <see cref="TestScheduler"/> for the expiry timers.
/// </summary>
public sealed class PegasusScanContextTests : IAsyncLifetime
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(5);
    private readonly Reactor _reactor = new(new ReactorOptions { LoopCount = 1 });
    private readonly TestScheduler _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private PegasusServer _server = null!;
    private RequestHeader _header;

    public async Task InitializeAsync()
    {
        _reactor.Start();
        _server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 4, Replicas = 1, Clock = _clock, MaxScanContexts = 64 });
        _header = new RequestHeader(0, _server.AppId("temp"), 0, 0, 0, false);
        await using var seed = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var (_, _, written) = await seed.CallAsync(_header, RpcNames.MultiPut, new MultiPutRequest { HashKey = "h"u8.ToArray(), Kvs = [.. Enumerable.Range(1, 3).Select(i => new KeyValue { Key = [(byte)('0' + i)], Value = "v"u8.ToArray() })] }, UpdateResponse.Read).Within();
        Assert.Equal(0, written!.Error);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public void TheDefaults_AreTheRealServersIdleExpiry_AndABoundedCap()
    {
        var options = new PegasusServerOptions();

        Assert.Equal(TimeSpan.FromMinutes(5), options.ScanContextIdleTimeout);
        Assert.Equal(1000, options.MaxScanContexts);
    }

    [Fact]
    public async Task ClosingAConnection_FreesItsContexts_AndCancelsTheirTimers_ButNotOthers()
    {
        var closing = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        await using var staying = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        await OpenScannerAsync(closing);
        await OpenScannerAsync(closing);
        var kept = await OpenScannerAsync(staying);
        Assert.Equal(3, _server.LiveScanContexts);
        Assert.Equal(3, _clock.PendingCount);

        await closing.DisposeAsync();
        Guard.Until(() => _server.LiveScanContexts == 1, "the closed connection's contexts freed");

        Assert.Equal(1, _clock.PendingCount);
        var (error, _, next) = await staying.CallAsync(_header, RpcNames.Scan, new ScanRequest { ContextId = kept }, ScanResponse.Read).Within();
        Assert.Equal((DsnErrors.Ok, 0, 1), (error, next!.Error, next.Kvs.Count));
    }

    [Fact]
    public async Task AnIdleContext_ExpiresExactlyAfterTheIdleTimeout_OnTheServerClock()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var context = await OpenScannerAsync(replica);

        _clock.AdvanceBy(Idle - TimeSpan.FromTicks(1));
        Assert.Equal(1, _server.LiveScanContexts);
        _clock.AdvanceBy(TimeSpan.FromTicks(1));
        Assert.Equal(0, _server.LiveScanContexts);

        // As the spec says for an expired context: kNotFound, context 0 (the client restarts from its last key).
        var (_, _, stale) = await replica.CallAsync(_header, RpcNames.Scan, new ScanRequest { ContextId = context }, ScanResponse.Read).Within();
        Assert.Equal((1, 0L), (stale!.Error, stale.ContextId));
    }

    [Fact]
    public async Task EachScan_RestartsTheIdleTimeout_ForTheContextItHandsOut()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var context = await OpenScannerAsync(replica);

        _clock.AdvanceBy(TimeSpan.FromMinutes(4));
        var (_, _, next) = await replica.CallAsync(_header, RpcNames.Scan, new ScanRequest { ContextId = context }, ScanResponse.Read).Within();
        Assert.True(next!.ContextId >= 0);
        _clock.AdvanceBy(TimeSpan.FromMinutes(4));
        Assert.Equal(1, _server.LiveScanContexts);
        Assert.Equal(1, _clock.PendingCount);

        _clock.AdvanceBy(TimeSpan.FromMinutes(1));
        Assert.Equal(0, _server.LiveScanContexts);
    }

    [Fact]
    public async Task TheIdleTimeout_IsAnOption()
    {
        await using var server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 1, Replicas = 1, Clock = _clock, ScanContextIdleTimeout = TimeSpan.FromSeconds(30) });
        var header = new RequestHeader(0, server.AppId("temp"), 0, 0, 0, false);
        await using var replica = await RawPegasusConnection.ConnectAsync(server.ReplicaEndpoints[0]);
        await replica.CallAsync(header, RpcNames.MultiPut, new MultiPutRequest { HashKey = "h"u8.ToArray(), Kvs = [new KeyValue { Key = "1"u8.ToArray() }, new KeyValue { Key = "2"u8.ToArray() }] }, UpdateResponse.Read).Within();
        await OpenScannerAsync(replica, header);

        _clock.AdvanceBy(TimeSpan.FromSeconds(29));
        Assert.Equal(1, server.LiveScanContexts);
        _clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Equal(0, server.LiveScanContexts);
    }

    [Fact]
    public async Task BeyondTheCap_GetScannerIsRefusedWithErrBusy_WhileOpenScansGoOn_AndRoomComesBackWhenOneCloses()
    {
        await using var server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 1, Replicas = 1, Clock = _clock, MaxScanContexts = 2 });
        var header = new RequestHeader(0, server.AppId("temp"), 0, 0, 0, false);
        await using var replica = await RawPegasusConnection.ConnectAsync(server.ReplicaEndpoints[0]);
        await replica.CallAsync(header, RpcNames.MultiPut, new MultiPutRequest { HashKey = "h"u8.ToArray(), Kvs = [.. Enumerable.Range(1, 5).Select(i => new KeyValue { Key = [(byte)('0' + i)] })] }, UpdateResponse.Read).Within();
        var first = await OpenScannerAsync(replica, header);
        await OpenScannerAsync(replica, header);

        var (refused, _, _) = await replica.CallAsync(header, RpcNames.GetScanner, WholePartition(), ScanResponse.Read).Within();
        var (scanned, _, next) = await replica.CallAsync(header, RpcNames.Scan, new ScanRequest { ContextId = first }, ScanResponse.Read).Within();

        Assert.Equal(DsnErrors.Busy, refused);
        Assert.Equal((DsnErrors.Ok, 0), (scanned, next!.Error));
        Assert.Equal(2, server.LiveScanContexts);

        // clear_scanner is never answered; the reply to the get_scanner after it shows it was handled first.
        await replica.SendAsync(header, RpcNames.ClearScanner, new I64Args(next.ContextId));
        var (admitted, _, opened) = await replica.CallAsync(header, RpcNames.GetScanner, WholePartition(), ScanResponse.Read).Within();
        Assert.Equal((DsnErrors.Ok, 0), (admitted, opened!.Error));
        Assert.True(opened.ContextId >= 0);
    }

    [Fact]
    public async Task ManyConnections_EachLeavingAScannerWithAOneMegabyteFilter_LeaveNoContextsOnceClosed()
    {
        const int connections = 48;
        var pattern = new byte[1 << 20];
        Array.Fill(pattern, (byte)'p');
        var sockets = new List<RawPegasusConnection>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var socket = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
                sockets.Add(socket);

                // No filter type with a pattern: every record matches, and the context keeps the megabyte, as in the report.
                var request = WholePartition();
                request.SortKeyFilterPattern = pattern;
                var (error, _, reply) = await socket.CallAsync(_header, RpcNames.GetScanner, request, ScanResponse.Read).Within();
                Assert.Equal((DsnErrors.Ok, 0, 1), (error, reply!.Error, reply.Kvs.Count));
                Assert.True(reply.ContextId >= 0);
            }

            Assert.Equal(connections, _server.LiveScanContexts);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }

        Guard.Until(() => _server.LiveScanContexts == 0, "every closed connection's context freed");
        Assert.Equal(0, _clock.PendingCount);

        // The server still scans for a newcomer.
        await using var fresh = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var (_, _, first) = await fresh.CallAsync(_header, RpcNames.GetScanner, new GetScannerRequest { StartKey = [0, 0], StopKey = [0xFF, 0xFF], BatchSize = 10 }, ScanResponse.Read).Within();
        Assert.Equal((0, 3, ScanResponse.Completed), (first!.Error, first.Kvs.Count, first.ContextId));
    }

    private static GetScannerRequest WholePartition() => new() { StartKey = [0, 0], StopKey = [0xFF, 0xFF], BatchSize = 1 };

    private Task<long> OpenScannerAsync(RawPegasusConnection connection) => OpenScannerAsync(connection, _header);

    private static async Task<long> OpenScannerAsync(RawPegasusConnection connection, RequestHeader header)
    {
        var (error, _, reply) = await connection.CallAsync(header, RpcNames.GetScanner, WholePartition(), ScanResponse.Read).Within();
        Assert.Equal((DsnErrors.Ok, 0), (error, reply!.Error));
        Assert.True(reply.ContextId >= 0, "the batch of 1 leaves rows, so a context must be open");
        return reply.ContextId;
    }
}
