using System.Net;
using System.Text;
using ReactiveKv.Pegasus;
using ReactiveKv.Pegasus.Thrift;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Pegasus;

/// <summary>The embedded server spoken to byte by byte: the spec's section 17 checklist, with the Python client's captured requests.</summary>
public sealed class PegasusServerTests : IAsyncLifetime
{
    private readonly Reactor _reactor = new(new ReactorOptions { LoopCount = 1 });
    private readonly TestScheduler _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private PegasusServer _server = null!;

    public async Task InitializeAsync()
    {
        _reactor.Start();

        // "x" first so that "temp" gets app id 2, as in the captures.
        _server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 4, Replicas = 1, Tables = ["x", "temp"], Clock = _clock });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task TheCapturedMetaQuery_IsAnswered_WithHostPortFields()
    {
        await using var meta = await RawPegasusConnection.ConnectAsync(_server.MetaEndpoints[0]);
        await meta.SendRawAsync(Hex("54484654000000000000003000000000" + "0000004a00000000" + new string('0', 48) + "80010001" + "00000026" + Ascii("RPC_CM_QUERY_PARTITION_CONFIG_BY_INDEX") + "00000001" + "0c00010b000100000004" + Ascii("temp") + "0f0002080000000000" + "00"));

        var (error, seqid, answer) = await meta.ReceiveAsync(QueryConfigResponse.Read).Within();

        Assert.Equal(("ERR_OK", 1), (error, seqid));
        Assert.Equal((DsnErrors.Ok, 2, 4, true), (answer!.Err, answer.AppId, answer.PartitionCount, answer.IsStateful));
        Assert.All(answer.Partitions, p => Assert.Equal(_server.ReplicaEndpoints[0], RpcAddress.Decode(p.Primary)));
        Assert.All(answer.Partitions, p => Assert.True(p.Ballot > 0));
        Assert.All(answer.Partitions, p => Assert.Equal("127.0.0.1", p.HpPrimary?.Host));
        Assert.Equal([0, 1, 2, 3], answer.Partitions.Select(p => p.Pid.PartitionIndex));
    }

    [Fact]
    public async Task OlderServers_AnswerWithoutFields9To11_AndUnknownTablesAndWrongHeadersAreRefused()
    {
        await using var server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { HostPortFields = false });
        await using var meta = await RawPegasusConnection.ConnectAsync(server.MetaEndpoints[0]);

        var (_, _, old) = await meta.CallAsync(RequestHeader.Meta(0), RpcNames.QueryConfig, new QueryConfigRequest { AppName = "temp" }, QueryConfigResponse.Read).Within();
        var (_, _, missing) = await meta.CallAsync(RequestHeader.Meta(0), RpcNames.QueryConfig, new QueryConfigRequest { AppName = "nope" }, QueryConfigResponse.Read).Within();
        var (replicaPath, _, _) = await meta.CallAsync(new RequestHeader(0, 1, 0, 0, 0, false), RpcNames.QueryConfig, new QueryConfigRequest { AppName = "temp" }, QueryConfigResponse.Read).Within();

        Assert.All(old!.Partitions, p => Assert.Null(p.HpPrimary));
        Assert.Equal(DsnErrors.ObjectNotFound, missing!.Err);
        Assert.Equal(DsnErrors.HandlerNotFound, replicaPath);
    }

    [Fact]
    public async Task AnAnnouncedReplicaAddress_IsWhatTheMetasHandOut_WhileTheReplicaKeepsListening()
    {
        await using var server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 4, Replicas = 2 });
        var announced = new IPEndPoint(IPAddress.Loopback, 1);
        server.AnnounceReplica(1, announced);
        await using var meta = await RawPegasusConnection.ConnectAsync(server.MetaEndpoints[0]);

        var (_, _, answer) = await meta.CallAsync(RequestHeader.Meta(0), RpcNames.QueryConfig, new QueryConfigRequest { AppName = "temp" }, QueryConfigResponse.Read).Within();

        var addresses = answer!.Partitions.SelectMany(p => p.Secondaries.Append(p.Primary)).Select(RpcAddress.Decode).Distinct().ToList();
        Assert.Equal(new[] { server.ReplicaEndpoints[0], announced }.OrderBy(e => e!.Port), addresses.OrderBy(e => e!.Port));
        Assert.Contains(answer.Partitions, p => p.HpPrimary is { Port: 1 });
        Assert.Equal([server.ReplicaEndpoints[0], announced], server.AnnouncedReplicaEndpoints);
        Assert.NotEqual(announced, server.ReplicaEndpoints[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => server.AnnounceReplica(2, announced));
    }

    [Fact]
    public async Task ANonLeaderMeta_ForwardsToTheLeader()
    {
        await using var server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Metas = 3 });
        server.LeaderMeta = 2;
        await using var meta = await RawPegasusConnection.ConnectAsync(server.MetaEndpoints[0]);

        var (_, _, answer) = await meta.CallAsync(RequestHeader.Meta(1), RpcNames.QueryConfig, new QueryConfigRequest { AppName = "temp" }, QueryConfigResponse.Read).Within();

        Assert.Equal(DsnErrors.ForwardToOthers, answer!.Err);
        Assert.Equal(server.MetaEndpoints[2], RpcAddress.Decode(Assert.Single(answer.Partitions).Primary));
    }

    [Fact]
    public async Task Replicas_RefuseUnknownRpcs_UnknownPartitions_AndWritesAtANonPrimary()
    {
        await using var server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 2, Replicas = 2 });
        await using var replica1 = await RawPegasusConnection.ConnectAsync(server.ReplicaEndpoints[1]);
        var appId = server.AppId("temp");
        var put = new UpdateRequest { Key = PegasusKey.Compose("h"u8, "s"u8), Value = "v"u8.ToArray() };

        var (unknown, _, _) = await replica1.CallAsync(new RequestHeader(0, appId, 1, 0, 0, false), "RPC_RRDB_RRDB_NOPE", put, UpdateResponse.Read).Within();
        var (noApp, _, _) = await replica1.CallAsync(new RequestHeader(0, 99, 0, 0, 0, false), RpcNames.Put, put, UpdateResponse.Read).Within();
        var (noPartition, _, _) = await replica1.CallAsync(new RequestHeader(0, appId, 7, 0, 0, false), RpcNames.Put, put, UpdateResponse.Read).Within();
        var (notPrimary, _, _) = await replica1.CallAsync(new RequestHeader(0, appId, 0, 0, 0, false), RpcNames.Put, put, UpdateResponse.Read).Within();
        var (atPrimary, _, written) = await replica1.CallAsync(new RequestHeader(0, appId, 1, 0, 0, false), RpcNames.Put, put, UpdateResponse.Read).Within();

        // Partition 1's primary is replica 1, replica 0 is its secondary: backup reads only.
        await using var replica0 = await RawPegasusConnection.ConnectAsync(server.ReplicaEndpoints[0]);
        var get = new BlobArgs(put.Key);
        var (plainRead, _, _) = await replica0.CallAsync(new RequestHeader(1, appId, 1, 0, 0, false), RpcNames.Get, get, ReadResponse.Read).Within();
        var (backupRead, _, value) = await replica0.CallAsync(new RequestHeader(1, appId, 1, 0, 0, true), RpcNames.Get, get, ReadResponse.Read).Within();

        Assert.Equal(DsnErrors.HandlerNotFound, unknown);
        Assert.Equal(DsnErrors.ObjectNotFound, noApp);
        Assert.Equal(DsnErrors.ObjectNotFound, noPartition);
        Assert.Equal(DsnErrors.InvalidState, notPrimary);
        Assert.Equal((DsnErrors.Ok, 0, 1, $"127.0.0.1:{server.ReplicaEndpoints[1].Port}"), (atPrimary, written!.Error, written.PartitionIndex, written.Server));
        Assert.Equal(DsnErrors.InvalidState, plainRead);
        Assert.Equal((DsnErrors.Ok, "v"), (backupRead, Encoding.ASCII.GetString(value!.Value)));
    }

    [Fact]
    public async Task BytesThatAreNotThft_CloseTheConnection()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        await replica.SendRawAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));

        Assert.True(await replica.ClosedByServerAsync().Within());
    }

    [Fact]
    public async Task TheCapturedMultiPutMultiGetAndCount_WorkAsTheSpecSays()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        await replica.SendRawAsync(Hex("54484654000000000000003000000000000000830000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f505554000000080c00010c0001000000066361705f68320f00020c000000030c000100000003615f310c000200000003766131000c000100000003615f320c000200000003766132000c000100000003625f310c00020000000376623100080003000000000000"));
        var (putError, putSeqid, put) = await replica.ReceiveAsync(UpdateResponse.Read).Within();

        await replica.SendRawAsync(Hex("54484654000000000000003000000000000000710000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f474554000000090c00010c0001000000066361705f68320f00020c0000000400000003615f3100000003615f32000000097a7a5f616273656e7400000003625f3108000300000064080004000f4240020005000000"));
        var (_, getSeqid, byKeys) = await replica.ReceiveAsync(MultiGetResponse.Read).Within();

        await replica.SendRawAsync(Hex("54484654000000000000003000000000000000710000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f4745540000000a0c00010c0001000000066361705f683208000300000064080004000f4240020005000c0006000000000c000700000000020008010200090008000a000000020c000b00000002615f02000c000000"));
        var (_, _, prefixed) = await replica.ReceiveAsync(MultiGetResponse.Read).Within();

        await replica.SendRawAsync(Hex("54484654000000000000003000000000000000350000000000000002000000000000000000003ddeb5ef20157d6d6c08800100010000001b5250435f525244425f525244425f534f52544b45595f434f554e540000000b0c0001000000066361705f683200"));
        var (_, _, count) = await replica.ReceiveAsync(CountResponse.Read).Within();

        Assert.Equal((DsnErrors.Ok, 8, 0), (putError, putSeqid, put!.Error));
        Assert.Equal(9, getSeqid);
        Assert.Equal(["a_1=va1", "a_2=va2", "b_1=vb1"], byKeys!.Kvs.Select(kv => $"{S(kv.Key)}={S(kv.Value)}"));
        Assert.Equal(["a_1", "a_2"], prefixed!.Kvs.Select(kv => S(kv.Key)));
        Assert.Equal(3, count!.Count);
    }

    [Fact]
    public async Task TheCapturedOrderedScan_RotatesItsContextEveryBatch_AndEndsWithMinusOne()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var header = new RequestHeader(0, 2, 1, 0, 0, false);
        await replica.CallAsync(header, RpcNames.MultiPut, new MultiPutRequest { HashKey = "cap_h3"u8.ToArray(), Kvs = [.. Enumerable.Range(1, 8).Select(i => new KeyValue { Key = B($"s{i:00}"), Value = B($"v{i}") })] }, UpdateResponse.Read).Within();

        // get_scanner from s02 to s07 (exclusive), batch 2, as captured from the Python client.
        await replica.SendRawAsync(Hex("54484654000000000000003000000000000000610000000000000002000000010000000000003ddfca81d0dd4d58e57180010001000000195250435f525244425f525244425f4745545f5343414e4e4552000000120c00010c00010000000b00066361705f68337330320c00020000000b00066361705f683373303702000301020004000800050000000202000b000000"));
        var (_, _, first) = await replica.ReceiveAsync(ScanResponse.Read).Within();
        var rows = first!.Kvs.Select(kv => S(PegasusKey.Split(kv.Key).SortKey)).ToList();
        var contexts = new List<long> { first.ContextId };
        while (contexts[^1] >= 0)
        {
            var (_, _, next) = await replica.CallAsync(header, RpcNames.Scan, new ScanRequest { ContextId = contexts[^1] }, ScanResponse.Read).Within();
            rows.AddRange(next!.Kvs.Select(kv => S(PegasusKey.Split(kv.Key).SortKey)));
            contexts.Add(next.ContextId);
        }

        var (_, _, stale) = await replica.CallAsync(header, RpcNames.Scan, new ScanRequest { ContextId = contexts[0] }, ScanResponse.Read).Within();

        Assert.Equal(["s02", "s03", "s04", "s05", "s06"], rows);
        Assert.Equal(-1, contexts[^1]);
        Assert.Equal(contexts.Count, contexts.Distinct().Count());
        Assert.Equal((1, 0L), (stale!.Error, stale.ContextId));
        Assert.Equal(0, _server.LiveScanContexts);
    }

    [Fact]
    public async Task AnEmptyRange_AnswersContextZero_AndClearScannerIsNeverAnswered()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var header = new RequestHeader(0, 2, 0, 0, 0, false);
        await replica.CallAsync(header, RpcNames.MultiPut, new MultiPutRequest { HashKey = B("e"), Kvs = [.. Enumerable.Range(0, 5).Select(i => new KeyValue { Key = B($"k{i}"), Value = B("v") })] }, UpdateResponse.Read).Within();

        var (_, _, empty) = await replica.CallAsync(header, RpcNames.GetScanner, new GetScannerRequest { StartKey = PegasusKey.Compose("e"u8, "k3"u8), StopKey = PegasusKey.Compose("e"u8, "k1"u8) }, ScanResponse.Read).Within();
        var (_, _, open) = await replica.CallAsync(header, RpcNames.GetScanner, new GetScannerRequest { StartKey = PegasusKey.Compose("e"u8, []), StopKey = PegasusKey.Next(PegasusKey.Compose("e"u8, [])), BatchSize = 2 }, ScanResponse.Read).Within();
        Assert.Equal(1, _server.LiveScanContexts);
        await replica.SendAsync(header, RpcNames.ClearScanner, new I64Args(open!.ContextId));
        var (_, seqid, get) = await replica.CallAsync(header, RpcNames.Get, new BlobArgs(PegasusKey.Compose("e"u8, "k0"u8)), ReadResponse.Read).Within();

        Assert.Equal((0, 0L, 0), (empty!.Error, empty.ContextId, empty.Kvs.Count));
        Assert.True(open.ContextId >= 0);
        Assert.Equal(0, get!.Error);
        Assert.Equal(0, _server.LiveScanContexts);
        Assert.Equal(5, seqid);
    }

    [Fact]
    public async Task Incr_ParsesLikeStrtollBaseZero_AndRefusesOverflow()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var header = new RequestHeader(0, 2, 0, 0, 0, false);

        async Task<(int Error, long Value)> IncrFrom(string stored, long by)
        {
            var key = PegasusKey.Compose("i"u8, Encoding.ASCII.GetBytes(stored));
            await replica.CallAsync(header, RpcNames.Put, new UpdateRequest { Key = key, Value = Encoding.ASCII.GetBytes(stored) }, UpdateResponse.Read);
            var (_, _, response) = await replica.CallAsync(header, RpcNames.Incr, new IncrRequest { Key = key, Increment = by }, IncrResponse.Read);
            return (response!.Error, response.NewValue);
        }

        Assert.Equal((0, 32), await IncrFrom(" 0x1F", 1).Within());
        Assert.Equal((0, 9), await IncrFrom("010", 1).Within());
        Assert.Equal((0, -4), await IncrFrom("-5", 1).Within());
        Assert.Equal(4, (await IncrFrom("12abc", 1).Within()).Error);
        Assert.Equal((4, long.MaxValue), await IncrFrom("9223372036854775807", 1).Within());
    }

    [Fact]
    public async Task Ttls_UseThe2016Epoch_AndExpiredRecordsVanishFromEveryRead()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var header = new RequestHeader(0, 2, 0, 0, 0, false);
        var key = PegasusKey.Compose("t"u8, "s"u8);
        var expire = PegasusEpoch.Seconds(_clock.Now) + 10;
        await replica.CallAsync(header, RpcNames.Put, new UpdateRequest { Key = key, Value = B("v"), ExpireTs = expire }, UpdateResponse.Read).Within();

        var (_, _, before) = await replica.CallAsync(header, RpcNames.Ttl, new BlobArgs(key), TtlResponse.Read).Within();
        _clock.AdvanceBy(TimeSpan.FromSeconds(10));
        var (_, _, after) = await replica.CallAsync(header, RpcNames.Ttl, new BlobArgs(key), TtlResponse.Read).Within();
        var (_, _, get) = await replica.CallAsync(header, RpcNames.Get, new BlobArgs(key), ReadResponse.Read).Within();
        var (_, _, count) = await replica.CallAsync(header, RpcNames.SortKeyCount, new BlobArgs(B("t")), CountResponse.Read).Within();
        var (_, _, incr) = await replica.CallAsync(header, RpcNames.Incr, new IncrRequest { Key = key, Increment = 2 }, IncrResponse.Read).Within();

        Assert.Equal((0, 10), (before!.Error, before.TtlSeconds));
        Assert.Equal(1, after!.Error);
        Assert.Equal(1, get!.Error);
        Assert.Equal(0, count!.Count);
        Assert.Equal(2, incr!.NewValue);
    }

    [Fact]
    public async Task WriteEdgeCases_FollowTheServer()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var header = new RequestHeader(0, 2, 0, 0, 0, false);

        var (_, _, emptyPut) = await replica.CallAsync(header, RpcNames.MultiPut, new MultiPutRequest { HashKey = B("w") }, UpdateResponse.Read).Within();
        var (_, _, emptyRemove) = await replica.CallAsync(header, RpcNames.MultiRemove, new MultiRemoveRequest { HashKey = B("w") }, MultiRemoveResponse.Read).Within();
        var (_, _, removed) = await replica.CallAsync(header, RpcNames.MultiRemove, new MultiRemoveRequest { HashKey = B("w"), SortKeys = [B("a"), B("b"), B("c")] }, MultiRemoveResponse.Read).Within();
        var (_, _, badCheck) = await replica.CallAsync(header, RpcNames.CheckAndSet, new CheckAndSetRequest { HashKey = B("w"), CheckType = 99 }, CheckAndSetResponse.Read).Within();
        await replica.CallAsync(header, RpcNames.Put, new UpdateRequest { Key = PegasusKey.Compose("w"u8, "n"u8), Value = B("x") }, UpdateResponse.Read).Within();
        var (_, _, intCheck) = await replica.CallAsync(header, RpcNames.CheckAndSet, new CheckAndSetRequest { HashKey = B("w"), CheckSortKey = B("n"), CheckType = (int)CheckType.ValueIntLess, CheckOperand = B("5") }, CheckAndSetResponse.Read).Within();

        // A put with a non-zero update type is server-internal and never answered: the next reply is the get's.
        await replica.SendAsync(header, RpcNames.Put, new TypedPut(PegasusKey.Compose("w"u8, "typed"u8)));
        var (_, seqid, typed) = await replica.CallAsync(header, RpcNames.Get, new BlobArgs(PegasusKey.Compose("w"u8, "typed"u8)), ReadResponse.Read).Within();

        Assert.Equal(4, emptyPut!.Error);
        Assert.Equal(4, emptyRemove!.Error);
        Assert.Equal((0, 3L), (removed!.Error, removed.Count));
        Assert.Equal(4, badCheck!.Error);
        Assert.Equal(4, intCheck!.Error);
        Assert.NotNull(typed);
        Assert.Equal(8, seqid);
    }

    [Fact]
    public async Task MultiGetByKeys_StopsWithIncomplete_AtItsCountLimit()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var header = new RequestHeader(0, 2, 0, 0, 0, false);
        await replica.CallAsync(header, RpcNames.MultiPut, new MultiPutRequest { HashKey = B("m"), Kvs = [.. new[] { "c", "a", "b" }.Select(k => new KeyValue { Key = B(k), Value = B(k) })] }, UpdateResponse.Read).Within();

        var (_, _, limited) = await replica.CallAsync(header, RpcNames.MultiGet, new MultiGetRequest { HashKey = B("m"), SortKeys = [B("c"), B("zz"), B("a"), B("b")], MaxKvCount = 2 }, MultiGetResponse.Read).Within();

        Assert.Equal(7, limited!.Error);
        Assert.Equal(["c", "a"], limited.Kvs.Select(kv => S(kv.Key)));
    }

    [Fact]
    public async Task InjectedFaults_AreServedOnce_AndCounted()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var header = new RequestHeader(0, 2, 0, 0, 0, false);
        var get = new BlobArgs(PegasusKey.Compose("f"u8, "s"u8));
        _server.FailNext(RpcNames.Get, "ERR_BUSY");

        var (busy, _, _) = await replica.CallAsync(header, RpcNames.Get, get, ReadResponse.Read).Within();
        var (after, _, _) = await replica.CallAsync(header, RpcNames.Get, get, ReadResponse.Read).Within();

        Assert.Equal("ERR_BUSY", busy);
        Assert.Equal(DsnErrors.Ok, after);
        Assert.Equal(2, _server.RequestCount(RpcNames.Get));
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static string Ascii(string text) => Convert.ToHexString(Encoding.ASCII.GetBytes(text));

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    /// <summary>An update_request with field 4 (type) set, as only servers send among themselves.</summary>
    private sealed class TypedPut(byte[] key) : IThriftMessage
    {
        public ThriftType FieldType => ThriftType.Struct;

        public void Write(ThriftWriter w)
        {
            w.BlobField(1, key);
            w.BlobField(2, "v"u8);
            w.I32Field(3, 0);
            w.I32Field(4, 1);
            w.Stop();
        }
    }
}
