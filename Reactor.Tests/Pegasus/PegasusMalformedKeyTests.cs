using System.Text;
using ReactiveKv.Pegasus;
using ReactiveKv.Pegasus.Thrift;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Pegasus;

/// <summary>
/// Malformed keys (issue 15): every keyed RPC refuses a key that lies about its hash-key length, or a hash key too
/// long for the u16 length, with kInvalidArgument and stores nothing; other connections' scanners keep answering.
/// </summary>
public sealed class PegasusMalformedKeyTests : IAsyncLifetime
{
    private const int InvalidArgument = (int)RocksDbStatus.InvalidArgument;
    private static readonly byte[] TooLongHashKey = new byte[0xFFFF];
    private readonly Reactor _reactor = new(new ReactorOptions { LoopCount = 1 });
    private readonly TestScheduler _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private PegasusServer _server = null!;
    private RequestHeader _header;

    /// <summary>The three keys of the report: 1 byte; length 0xFFFF and nothing after; length 9 and 2 bytes.</summary>
    public static TheoryData<string> ReportedKeys => new() { "01", "ffff", "00096162" };

    public async Task InitializeAsync()
    {
        _reactor.Start();
        _server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 4, Replicas = 1, Clock = _clock });
        _header = new RequestHeader(0, _server.AppId("temp"), 0, 0, 0, false);
        await using var seed = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        await seed.CallAsync(_header, RpcNames.MultiPut, new MultiPutRequest { HashKey = "h"u8.ToArray(), Kvs = [.. new[] { "a", "b" }.Select(s => new KeyValue { Key = B(s), Value = B("v" + s) })] }, UpdateResponse.Read).Within();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(ReportedKeys))]
    public async Task APutOfAReportedMalformedKey_IsRefused_StoresNothing_AndAnotherConnectionsScannerStillAnswers(string hex)
    {
        var key = Convert.FromHexString(hex);
        await using var bad = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        await using var scanner = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        var before = await DecreeAsync(bad);

        var (error, _, put) = await bad.CallAsync(_header, RpcNames.Put, new UpdateRequest { Key = key, Value = B("x") }, UpdateResponse.Read).Within();
        var (_, _, get) = await bad.CallAsync(_header, RpcNames.Get, new BlobArgs(key), ReadResponse.Read).Within();

        Assert.Equal((DsnErrors.Ok, InvalidArgument, before), (error, put!.Error, put.Decree));
        Assert.Equal(InvalidArgument, get!.Error);
        Assert.Equal(["h/a=va", "h/b=vb"], await ScanPartitionAsync(scanner));

        // The offending connection is not punished either: it goes on to write and read normally.
        var (_, _, good) = await bad.CallAsync(_header, RpcNames.Put, new UpdateRequest { Key = PegasusKey.Compose("h"u8, "c"u8), Value = B("vc") }, UpdateResponse.Read).Within();
        Assert.Equal((0, before + 1), (good!.Error, good.Decree));
        Assert.Equal(["h/a=va", "h/b=vb", "h/c=vc"], await ScanPartitionAsync(scanner));
    }

    [Fact]
    public async Task EveryKeyedRpc_RefusesAMalformedKeyOrAnOverlongHashKey_WithInvalidArgument_AndChangesNothing()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);
        byte[] lying = [0, 9, (byte)'a', (byte)'b'];
        var before = await DecreeAsync(replica);

        var errors = new Dictionary<string, int>
        {
            ["put"] = (await Call(RpcNames.Put, new UpdateRequest { Key = lying, Value = B("x") }, UpdateResponse.Read)).Error,
            ["multi_put"] = (await Call(RpcNames.MultiPut, new MultiPutRequest { HashKey = TooLongHashKey, Kvs = [new KeyValue { Key = B("s"), Value = B("x") }] }, UpdateResponse.Read)).Error,
            ["remove"] = (await Call(RpcNames.Remove, new BlobArgs(lying), UpdateResponse.Read)).Error,
            ["multi_remove"] = (await Call(RpcNames.MultiRemove, new MultiRemoveRequest { HashKey = TooLongHashKey, SortKeys = [B("s")] }, MultiRemoveResponse.Read)).Error,
            ["incr"] = (await Call(RpcNames.Incr, new IncrRequest { Key = lying, Increment = 1 }, IncrResponse.Read)).Error,
            ["check_and_set"] = (await Call(RpcNames.CheckAndSet, new CheckAndSetRequest { HashKey = TooLongHashKey, CheckSortKey = B("s"), SetValue = B("x") }, CheckAndSetResponse.Read)).Error,
            ["check_and_mutate"] = (await Call(RpcNames.CheckAndMutate, new CheckAndMutateRequest { HashKey = TooLongHashKey, CheckSortKey = B("s"), Mutations = [new MutateOperation { SortKey = B("s"), Value = B("x") }] }, CheckAndSetResponse.Read)).Error,
            ["get"] = (await Call(RpcNames.Get, new BlobArgs(lying), ReadResponse.Read)).Error,
            ["multi_get"] = (await Call(RpcNames.MultiGet, new MultiGetRequest { HashKey = TooLongHashKey }, MultiGetResponse.Read)).Error,
            ["batch_get"] = (await Call(RpcNames.BatchGet, new BatchGetRequest { Keys = [(B("h"), B("a")), (TooLongHashKey, B("s"))] }, BatchGetResponse.Read)).Error,
            ["sortkey_count"] = (await Call(RpcNames.SortKeyCount, new BlobArgs(TooLongHashKey), CountResponse.Read)).Error,
            ["ttl"] = (await Call(RpcNames.Ttl, new BlobArgs(lying), TtlResponse.Read)).Error,
            ["get_scanner start"] = (await Call(RpcNames.GetScanner, new GetScannerRequest { StartKey = lying }, ScanResponse.Read)).Error,
            ["get_scanner hash prefix"] = (await Call(RpcNames.GetScanner, new GetScannerRequest { StartKey = [0, 0], HashKeyFilterType = 2, HashKeyFilterPattern = TooLongHashKey }, ScanResponse.Read)).Error,
        };

        Assert.All(errors, e => Assert.True(e.Value == InvalidArgument, $"{e.Key} answered error {e.Value}"));
        Assert.Equal(before + 1, await DecreeAsync(replica));
        Assert.Equal(["h/a=va", "h/b=vb"], await ScanPartitionAsync(replica));
        Assert.Equal(0, _server.LiveScanContexts);

        async Task<T> Call<T>(string name, IThriftMessage args, RawPegasusConnection.Decoder<T> decode)
            where T : class
        {
            var (error, _, reply) = await replica.CallAsync(_header, name, args, decode).Within();
            Assert.Equal(DsnErrors.Ok, error);
            return reply!;
        }
    }

    [Fact]
    public async Task TheScanBoundsClientsReallySend_AreStillAccepted()
    {
        await using var replica = await RawPegasusConnection.ConnectAsync(_server.ReplicaEndpoints[0]);

        // next("00 01 h") = "00 01 i" and "FF FF" are positions, not keys, but real clients send them as stop keys.
        var ordered = new GetScannerRequest { StartKey = PegasusKey.Compose("h"u8, []), StopKey = PegasusKey.Next(PegasusKey.Compose("h"u8, [])), BatchSize = 10 };
        var (_, _, rows) = await replica.CallAsync(_header, RpcNames.GetScanner, ordered, ScanResponse.Read).Within();
        var (_, _, whole) = await replica.CallAsync(_header, RpcNames.GetScanner, new GetScannerRequest { StartKey = [0, 0], StopKey = [0xFF, 0xFF], BatchSize = 10 }, ScanResponse.Read).Within();
        var (_, _, truncated) = await replica.CallAsync(_header, RpcNames.GetScanner, new GetScannerRequest { StartKey = [0, 0], StopKey = [1], BatchSize = 10 }, ScanResponse.Read).Within();

        Assert.Equal((0, 2), (rows!.Error, rows.Kvs.Count));
        Assert.Equal((0, 2), (whole!.Error, whole.Kvs.Count));
        Assert.Equal((0, 2), (truncated!.Error, truncated.Kvs.Count));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("00", false)]
    [InlineData("01", false)]
    [InlineData("ffff", false)]
    [InlineData("ffff00", false)]
    [InlineData("00096162", false)]
    [InlineData("0001", false)]
    [InlineData("0000", true)]
    [InlineData("000073", true)]
    [InlineData("000168", true)]
    [InlineData("00016873", true)]
    [InlineData("00026869", true)]
    public void AFullKey_IsWellFormed_OnlyWhenItsHashKeyLengthIsBelow0xFFFFAndCoveredByItsBytes(string hex, bool wellFormed)
    {
        var key = Convert.FromHexString(hex);

        Assert.Equal(wellFormed, PegasusKey.IsWellFormed(key));
        Assert.Equal(wellFormed, RequestKeys.FullKey(key));
    }

    [Fact]
    public void AWellFormedKey_AlwaysSplits_AndTheLongestHashKeyComposesIntoOne()
    {
        var longest = PegasusKey.Compose(new byte[PegasusKey.MaxHashKeyLength], "s"u8);

        Assert.True(PegasusKey.IsWellFormed(longest));
        Assert.Equal((PegasusKey.MaxHashKeyLength, 1), (PegasusKey.Split(longest).HashKey.Length, PegasusKey.Split(longest).SortKey.Length));
        Assert.Throws<ProtocolErrorException>(() => PegasusKey.Split([0, 9, 1, 2]));
    }

    [Fact]
    public void AHashKey_MustFitTheU16Length_Below0xFFFF()
    {
        Assert.True(RequestKeys.HashKey([]));
        Assert.True(RequestKeys.HashKey(new byte[0xFFFE]));
        Assert.False(RequestKeys.HashKey(TooLongHashKey));
        Assert.True(RequestKeys.BatchGet(new BatchGetRequest { Keys = [([], B("s")), (B("h"), [])] }));
        Assert.False(RequestKeys.BatchGet(new BatchGetRequest { Keys = [(B("h"), B("s")), (TooLongHashKey, [])] }));
    }

    [Fact]
    public void AScanner_NeedsAnEmptyOrWellFormedStart_AnyStop_AndAHashPrefixThatFitsAHashKey()
    {
        Assert.True(RequestKeys.Scanner(new GetScannerRequest()));
        Assert.True(RequestKeys.Scanner(new GetScannerRequest { StartKey = [0, 0], StopKey = [0xFF, 0xFF] }));
        Assert.True(RequestKeys.Scanner(new GetScannerRequest { StartKey = [0, 1, 0x68], StopKey = [1] }));
        Assert.False(RequestKeys.Scanner(new GetScannerRequest { StartKey = [1] }));
        Assert.False(RequestKeys.Scanner(new GetScannerRequest { StartKey = [0xFF, 0xFF] }));
        Assert.True(RequestKeys.Scanner(new GetScannerRequest { HashKeyFilterType = 2, HashKeyFilterPattern = new byte[0xFFFE] }));
        Assert.False(RequestKeys.Scanner(new GetScannerRequest { HashKeyFilterType = 2, HashKeyFilterPattern = TooLongHashKey }));

        // Only a prefix filter is composed into a key; other filter types just compare bytes.
        Assert.True(RequestKeys.Scanner(new GetScannerRequest { HashKeyFilterType = 1, HashKeyFilterPattern = TooLongHashKey }));
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Partition 0's decree, read back through a harmless remove of a key that is not there (it bumps it by one).</summary>
    private async Task<long> DecreeAsync(RawPegasusConnection connection)
    {
        var (_, _, reply) = await connection.CallAsync(_header, RpcNames.MultiRemove, new MultiRemoveRequest { HashKey = B("nobody"), SortKeys = [B("x")] }, MultiRemoveResponse.Read).Within();
        return reply!.Decree;
    }

    /// <summary>Every record of partition 0 as "hash/sort=value", scanned in batches of one so the scan path is exercised.</summary>
    private async Task<List<string>> ScanPartitionAsync(RawPegasusConnection connection)
    {
        var rows = new List<string>();
        var (error, _, reply) = await connection.CallAsync(_header, RpcNames.GetScanner, new GetScannerRequest { StartKey = [0, 0], StopKey = [0xFF, 0xFF], BatchSize = 1 }, ScanResponse.Read).Within();
        while (true)
        {
            Assert.Equal((DsnErrors.Ok, 0), (error, reply!.Error));
            rows.AddRange(reply.Kvs.Select(kv => PegasusKey.Split(kv.Key)).Select(k => $"{Encoding.UTF8.GetString(k.HashKey)}/{Encoding.UTF8.GetString(k.SortKey)}").Zip(reply.Kvs, (k, kv) => $"{k}={Encoding.UTF8.GetString(kv.Value)}"));
            if (reply.ContextId < 0)
            {
                return rows;
            }

            (error, _, reply) = await connection.CallAsync(_header, RpcNames.Scan, new ScanRequest { ContextId = reply.ContextId }, ScanResponse.Read).Within();
        }
    }
}
