using System.Buffers;
using System.Text;
using ReactiveKv.Pegasus;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Tests.Pegasus;

/// <summary>The codec against the spec appendix: real captures of the Python client, and the spec's worked answers.</summary>
[Trait("Category", "Unit")]
public class PegasusCodecTests
{
    [Theory]
    [InlineData("", 0x0UL)]
    [InlineData("123456789", 0xAE8B14860A799888UL)]
    [InlineData("a", 0x8C2F8445B4CBFC3CUL)]
    [InlineData("h", 0x555D9839ECEA8B30UL)]
    [InlineData("hash_key", 0x65641F36E9F6A96DUL)]
    public void Crc64_MatchesTheCheckValues(string input, ulong expected) =>
        Assert.Equal(expected, PegasusCrc64.Compute(Encoding.ASCII.GetBytes(input)));

    [Fact]
    public void Routing_HashesTheHashKey_OrTheSortKeyWhenItIsEmpty()
    {
        Assert.Equal(0x555D9839ECEA8B30UL, PegasusKey.Hash("h"u8, "s"u8));
        Assert.Equal(0x555D9839ECEA8B30UL, PegasusKey.Hash([], "h"u8));
        Assert.Equal(0x555D9839ECEA8B30UL, PegasusKey.HashOfComposite([0, 1, (byte)'h', (byte)'s']));
        Assert.Equal(0x555D9839ECEA8B30UL, PegasusKey.HashOfComposite([0, 0, (byte)'h']));
    }

    [Fact]
    public void TheMetaQuery_IsByteForByteThePythonClientsCapture()
    {
        var expected = Hex(
            "54484654 00000000 00000030 00000000 0000004a 00000000",
            "00000000 00000000 00000000 00000000 0000000000000000",
            "80010001 00000026", Ascii("RPC_CM_QUERY_PARTITION_CONFIG_BY_INDEX"), "00000001",
            "0c 0001 0b 0001 00000004", Ascii("temp"), "0f 0002 08 00000000 00 00");

        var output = new ArrayBufferWriter<byte>();
        ThftFrames.WriteRequest(output, new ArrayBufferWriter<byte>(), RequestHeader.Meta(0), RpcNames.QueryConfig, 1, new QueryConfigRequest { AppName = "temp" });

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output.WrittenSpan));
    }

    [Fact]
    public void AGet_WithAV1Header_IsByteForByteTheSpecsExample()
    {
        var expected = Hex(
            "54484654 00000001 00000025 00000029",
            "08 0001 00000002  08 0002 00000000  08 0003 000003e8",
            "0a 0004 555d9839ecea8b30  02 0005 00  00",
            "80010001 00000011", Ascii("RPC_RRDB_RRDB_GET"), "00000001",
            "0c 0001 00000004 0001 68 73  00");
        var header = new RequestHeader(1, 2, 0, 1000, PegasusKey.Hash("h"u8, "s"u8), false);

        var output = new ArrayBufferWriter<byte>();
        ThftFrames.WriteRequest(output, new ArrayBufferWriter<byte>(), header, RpcNames.Get, 1, new BlobArgs(PegasusKey.Compose("h"u8, "s"u8)));

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output.WrittenSpan));
    }

    [Fact]
    public void AGet_WithAV0Header_CarriesTheThreadHashAndTheFull64BitHash()
    {
        var header = new RequestHeader(0, 2, 0, 1000, 0x555d9839ecea8b30, false);
        var output = new ArrayBufferWriter<byte>();
        ThftFrames.WriteRequest(output, new ArrayBufferWriter<byte>(), header, RpcNames.Get, 1, new BlobArgs(PegasusKey.Compose("h"u8, "s"u8)));

        var expectedStart = Hex("54484654 00000000 00000030 00000000 00000029 00000000 00000002 00000000 000003e8 00003dde 555d9839ecea8b30");
        Assert.Equal(Convert.ToHexString(expectedStart), Convert.ToHexString(output.WrittenSpan[..48]));
    }

    [Fact]
    public void TheGetAnswer_DecodesAndReencodesToTheSameBytes()
    {
        var frame = Hex(
            "00000066 00000006", Ascii("ERR_OK"), "80010002 00000015", Ascii("RPC_RRDB_RRDB_GET_ACK"), "00000001",
            "0c 0000",
            "08 0001 00000000",
            "0c 0002 00000001 76",
            "08 0003 00000002",
            "08 0004 00000000",
            "0b 0006 0000000e", Ascii("10.0.0.1:34801"),
            "00",
            "00");
        Assert.Equal(frame.Length, ThftFrames.ResponseLength(new ReadOnlySequence<byte>(frame), 1 << 20));

        var reader = new ThriftReader(frame);
        var (error, name, seqid, hasResult) = ThftFrames.ReadResponse(ref reader);
        var response = ReadResponse.Read(ref reader);

        Assert.Equal(("ERR_OK", "RPC_RRDB_RRDB_GET_ACK", 1, true), (error, name, seqid, hasResult));
        Assert.Equal((0, "v", 2, 0, "10.0.0.1:34801"), (response.Error, Encoding.ASCII.GetString(response.Value), response.AppId, response.PartitionIndex, response.Server));

        var again = new ArrayBufferWriter<byte>();
        ThftFrames.WriteResponse(again, new ArrayBufferWriter<byte>(), "ERR_OK", RpcNames.Get, 1, response);
        Assert.Equal(Convert.ToHexString(frame), Convert.ToHexString(again.WrittenSpan));
    }

    [Fact]
    public void AnErrorOnlyAnswer_HasNoResult_AndItsLengthCountsItself()
    {
        var frame = Hex("0000003d 00000014", Ascii("ERR_OBJECT_NOT_FOUND"), "80010002 00000015", Ascii("RPC_RRDB_RRDB_GET_ACK"), "00000001");
        Assert.Equal(0x3d, frame.Length);

        var reader = new ThriftReader(frame);
        var (error, _, seqid, hasResult) = ThftFrames.ReadResponse(ref reader);

        Assert.Equal(("ERR_OBJECT_NOT_FOUND", 1, false), (error, seqid, hasResult));
        var encoded = new ArrayBufferWriter<byte>();
        ThftFrames.WriteResponse(encoded, new ArrayBufferWriter<byte>(), "ERR_OBJECT_NOT_FOUND", RpcNames.Get, 1, null);
        Assert.Equal(Convert.ToHexString(frame), Convert.ToHexString(encoded.WrittenSpan));
    }

    [Fact]
    public void TheMetaAnswer_HasTheSpecsLength_AndItsFirstPartitionBytes()
    {
        var answer = new QueryConfigResponse { AppId = 2, PartitionCount = 4, IsStateful = true };
        for (var i = 0; i < 4; i++)
        {
            answer.Partitions.Add(new PartitionConfiguration { Pid = new Gpid(2, i), Ballot = 3, MaxReplicaCount = 3, Primary = RpcAddress.Encode(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 34841)) });
        }

        var output = new ArrayBufferWriter<byte>();
        ThftFrames.WriteResponse(output, new ArrayBufferWriter<byte>(), "ERR_OK", RpcNames.QueryConfig, 1, answer);

        var expectedStart = Hex(
            "0000019c 00000006", Ascii("ERR_OK"), "80010002 0000002a", Ascii("RPC_CM_QUERY_PARTITION_CONFIG_BY_INDEX_ACK"), "00000001",
            "0c 0000 0c 0001 00000006", Ascii("ERR_OK"), "08 0002 00000002 08 0003 00000004 02 0004 01 0f 0005 0c 00000004",
            "0c 0001 0000000000000002 0a 0002 0000000000000003 08 0003 00000003 0c 0004 7f00000188190001",
            "0f 0005 0c 00000000 0f 0006 0c 00000000 0a 0007 0000000000000000 08 0008 00000000 00",
            "0c 0001 0000000100000002");
        Assert.Equal(0x19c, output.WrittenCount);
        Assert.Equal(Convert.ToHexString(expectedStart), Convert.ToHexString(output.WrittenSpan[..expectedStart.Length]));
    }

    [Fact]
    public void HostPortFields9To11_AreDecoded_NotSkippedAsStructs()
    {
        var partition = new PartitionConfiguration
        {
            Pid = new Gpid(5, 1),
            Ballot = 7,
            Primary = RpcAddress.Encode(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.0.0.1"), 34801)),
            HpPrimary = new HostPort("node-1.example", 34801 - 65536, 1),
            HpSecondaries = [new HostPort("node-2.example", 1, 1)],
            HpLastDrops = [],
        };
        var answer = new QueryConfigResponse { AppId = 5, PartitionCount = 2, IsStateful = true, Partitions = [partition, new PartitionConfiguration { Pid = new Gpid(5, 0) }] };
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftWriter(output);
        answer.Write(w);

        var reader = new ThriftReader(output.WrittenSpan);
        var decoded = QueryConfigResponse.Read(ref reader);

        Assert.Equal(0, reader.Remaining);
        Assert.Equal(2, decoded.Partitions.Count);
        Assert.Equal("node-1.example", decoded.Partitions[0].HpPrimary?.Host);
        Assert.Equal("node-2.example", Assert.Single(decoded.Partitions[0].HpSecondaries!).Host);
        Assert.Equal(new Gpid(5, 0), decoded.Partitions[1].Pid);
        Assert.Equal("10.0.0.1:34801", RpcAddress.Decode(decoded.Partitions[0].Primary)!.ToString());
        Assert.Equal(unchecked((long)0x0A00000187F10001UL), decoded.Partitions[0].Primary);
    }

    [Fact]
    public void ThePythonClientsCapturedRequests_Decode()
    {
        var multiGet = Request("54484654000000000000003000000000000000710000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f474554000000090c00010c0001000000066361705f68320f00020c0000000400000003615f3100000003615f32000000097a7a5f616273656e7400000003625f3108000300000064080004000f4240020005000000",
            RpcNames.MultiGet, 9, (ref ThriftReader r) => MultiGetRequest.Read(ref r));
        Assert.Equal("cap_h2", Encoding.ASCII.GetString(multiGet.HashKey));
        Assert.Equal(["a_1", "a_2", "zz_absent", "b_1"], multiGet.SortKeys.Select(k => Encoding.ASCII.GetString(k)));
        Assert.Equal((100, 1000000, false, false), (multiGet.MaxKvCount, multiGet.MaxKvSize, multiGet.NoValue, multiGet.StartInclusive));

        var withOptions = Request("54484654000000000000003000000000000000710000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f4745540000000a0c00010c0001000000066361705f683208000300000064080004000f4240020005000c0006000000000c000700000000020008010200090008000a000000020c000b00000002615f02000c000000",
            RpcNames.MultiGet, 10, (ref ThriftReader r) => MultiGetRequest.Read(ref r));
        Assert.Empty(withOptions.SortKeys);
        Assert.Equal((true, false, 2, "a_", false), (withOptions.StartInclusive, withOptions.StopInclusive, withOptions.SortKeyFilterType, Encoding.ASCII.GetString(withOptions.SortKeyFilterPattern), withOptions.Reverse));

        var ordered = Request("54484654000000000000003000000000000000610000000000000002000000010000000000003ddfca81d0dd4d58e57180010001000000195250435f525244425f525244425f4745545f5343414e4e4552000000120c00010c00010000000b00066361705f68337330320c00020000000b00066361705f683373303702000301020004000800050000000202000b000000",
            RpcNames.GetScanner, 18, (ref ThriftReader r) => GetScannerRequest.Read(ref r));
        Assert.Equal(("cap_h3", "s02"), Split(ordered.StartKey));
        Assert.Equal(("cap_h3", "s07"), Split(ordered.StopKey));
        Assert.Equal((true, false, 2, false), (ordered.StartInclusive, ordered.StopInclusive, ordered.BatchSize, ordered.ValidatePartitionHash));

        var unordered = Request("544846540000000000000030000000000000004f0000000000000002000000020000000000003de0000000000000000280010001000000195250435f525244425f525244425f4745545f5343414e4e4552000000150c00010c00010000000200000c000200000002ffff02000301020004000800050000006402000b010000",
            RpcNames.GetScanner, 21, (ref ThriftReader r) => GetScannerRequest.Read(ref r), expectedPartition: 2, expectedHash: 2);
        Assert.Equal(("0000", "FFFF", 100, true), (Convert.ToHexString(unordered.StartKey), Convert.ToHexString(unordered.StopKey), unordered.BatchSize, unordered.ValidatePartitionHash));

        var scan = Request("544846540000000000000030000000000000002e0000000000000002000000010000000000003ddfca81d0dd4d58e57180010001000000125250435f525244425f525244425f5343414e000000130c00010a00010000009a000000000000",
            RpcNames.Scan, 19, (ref ThriftReader r) => ScanRequest.Read(ref r));
        Assert.Equal(0x9a00000000, scan.ContextId);

        var multiPut = Request("54484654000000000000003000000000000000830000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f505554000000080c00010c0001000000066361705f68320f00020c000000030c000100000003615f310c000200000003766131000c000100000003615f320c000200000003766132000c000100000003625f310c00020000000376623100080003000000000000",
            RpcNames.MultiPut, 8, (ref ThriftReader r) => MultiPutRequest.Read(ref r));
        Assert.Equal(["a_1=va1", "a_2=va2", "b_1=vb1"], multiPut.Kvs.Select(kv => $"{Encoding.ASCII.GetString(kv.Key)}={Encoding.ASCII.GetString(kv.Value)}"));

        var count = Request("54484654000000000000003000000000000000350000000000000002000000000000000000003ddeb5ef20157d6d6c08800100010000001b5250435f525244425f525244425f534f52544b45595f434f554e540000000b0c0001000000066361705f683200",
            RpcNames.SortKeyCount, 11, (ref ThriftReader r) => new BlobArgs(r.Blob()));
        Assert.Equal("cap_h2", Encoding.ASCII.GetString(count.Value));
    }

    [Fact]
    public void EveryStruct_RoundTrips_ThroughWriteAndRead()
    {
        var random = new Random(42);
        for (var round = 0; round < 200; round++)
        {
            AssertRoundTrip(new UpdateRequest { Key = Bytes(random), Value = Bytes(random), ExpireTs = random.Next() }, UpdateRequest.Read);
            AssertRoundTrip(new UpdateResponse { Error = random.Next(14), AppId = random.Next(), PartitionIndex = random.Next(64), Decree = random.NextInt64(), Server = "s" + random.Next() }, UpdateResponse.Read);
            AssertRoundTrip(new MultiPutRequest { HashKey = Bytes(random), ExpireTs = random.Next(), Kvs = [.. Enumerable.Range(0, random.Next(4)).Select(_ => new KeyValue { Key = Bytes(random), Value = Bytes(random) })] }, MultiPutRequest.Read);
            AssertRoundTrip(new MultiRemoveRequest { HashKey = Bytes(random), SortKeys = [.. Enumerable.Range(0, random.Next(4)).Select(_ => Bytes(random))], MaxCount = random.Next() }, MultiRemoveRequest.Read);
            AssertRoundTrip(new MultiRemoveResponse { Error = 4, Count = random.Next(), AppId = 1, PartitionIndex = 2, Decree = 3, Server = "x" }, MultiRemoveResponse.Read);
            AssertRoundTrip(new IncrRequest { Key = Bytes(random), Increment = random.NextInt64(), ExpireTs = random.Next() - int.MaxValue / 2 }, IncrRequest.Read);
            AssertRoundTrip(new IncrResponse { Error = 0, NewValue = random.NextInt64(), AppId = 1, PartitionIndex = 2, Decree = 3, Server = "x" }, IncrResponse.Read);
            AssertRoundTrip(new CheckAndSetRequest { HashKey = Bytes(random), CheckSortKey = Bytes(random), CheckType = random.Next(18), CheckOperand = Bytes(random), SetDiffSortKey = random.Next(2) == 1, SetSortKey = Bytes(random), SetValue = Bytes(random), SetExpireTs = random.Next(), ReturnCheckValue = true }, CheckAndSetRequest.Read);
            AssertRoundTrip(new CheckAndSetResponse { Error = 13, CheckValueReturned = true, CheckValueExist = true, CheckValue = Bytes(random), AppId = 1, PartitionIndex = 2, Decree = 3, Server = "x" }, CheckAndSetResponse.Read);
            AssertRoundTrip(new CheckAndMutateRequest { HashKey = Bytes(random), CheckSortKey = Bytes(random), CheckType = 3, CheckOperand = Bytes(random), Mutations = [new MutateOperation { Operation = 1, SortKey = Bytes(random), Value = Bytes(random), SetExpireTs = 9 }], ReturnCheckValue = true }, CheckAndMutateRequest.Read);
            AssertRoundTrip(new ReadResponse { Error = 1, Value = Bytes(random), AppId = 4, PartitionIndex = 5, Server = "y" }, ReadResponse.Read);
            AssertRoundTrip(new CountResponse { Error = 0, Count = random.NextInt64(), AppId = 4, PartitionIndex = 5, Server = "y" }, CountResponse.Read);
            AssertRoundTrip(new TtlResponse { Error = 0, TtlSeconds = random.Next(), AppId = 4, PartitionIndex = 5, Server = "y" }, TtlResponse.Read);
            AssertRoundTrip(new MultiGetRequest { HashKey = Bytes(random), SortKeys = [Bytes(random)], MaxKvCount = 5, MaxKvSize = 6, NoValue = true, StartSortKey = Bytes(random), StopSortKey = Bytes(random), StartInclusive = true, StopInclusive = true, SortKeyFilterType = 3, SortKeyFilterPattern = Bytes(random), Reverse = true }, MultiGetRequest.Read);
            AssertRoundTrip(new MultiGetResponse { Error = 7, Kvs = [new KeyValue { Key = Bytes(random), Value = Bytes(random) }], AppId = 1, PartitionIndex = 1, Server = "z" }, MultiGetResponse.Read);
            AssertRoundTrip(new BatchGetRequest { Keys = [(Bytes(random), Bytes(random)), (Bytes(random), Bytes(random))] }, BatchGetRequest.Read);
            AssertRoundTrip(new BatchGetResponse { Error = 0, Data = [(Bytes(random), Bytes(random), Bytes(random))], AppId = 1, PartitionIndex = 1, Server = "z" }, BatchGetResponse.Read);
            AssertRoundTrip(new GetScannerRequest { StartKey = Bytes(random), StopKey = Bytes(random), StartInclusive = false, StopInclusive = true, BatchSize = random.Next(1000), NoValue = true, HashKeyFilterType = 1, HashKeyFilterPattern = Bytes(random), SortKeyFilterType = 2, SortKeyFilterPattern = Bytes(random), ValidatePartitionHash = false, ReturnExpireTs = true, FullScan = true, OnlyReturnCount = true }, GetScannerRequest.Read);
            AssertRoundTrip(new ScanRequest { ContextId = random.NextInt64() }, ScanRequest.Read);
            AssertRoundTrip(new ScanResponse { Error = 0, Kvs = [new KeyValue { Key = Bytes(random), Value = Bytes(random), ExpireTs = 77 }], ContextId = -1, AppId = 1, PartitionIndex = 1, Server = "q", KvCount = 3 }, ScanResponse.Read);
            AssertRoundTrip(new QueryConfigRequest { AppName = "t" + random.Next(), PartitionIndices = [1, 2] }, QueryConfigRequest.Read);
        }
    }

    [Fact]
    public void MalformedFrames_FailWithTypedErrors()
    {
        Assert.Throws<ProtocolErrorException>(() => ThftFrames.ResponseLength(new ReadOnlySequence<byte>(Hex("00000003 00000000")), 1 << 20));
        Assert.Throws<FrameTooLargeException>(() => ThftFrames.ResponseLength(new ReadOnlySequence<byte>(Hex("7fffffff 00000000")), 1 << 20));
        Assert.Throws<ProtocolErrorException>(() => ThftFrames.RequestLength(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")), 1 << 20));
        Assert.Throws<ProtocolErrorException>(() => ThftFrames.RequestLength(new ReadOnlySequence<byte>(Hex("54484654 00000000 00000031 00000000")), 1 << 20));

        // A list that claims more elements than there are bytes, and a blob running past its frame.
        Assert.Throws<ProtocolErrorException>(() =>
        {
            var reader = new ThriftReader(Hex("0f 0002 0c 7fffffff"));
            MultiGetRequest.Read(ref reader);
        });
        Assert.Throws<ProtocolErrorException>(() =>
        {
            var reader = new ThriftReader(Hex("0c 0001 00000010 0001"));
            UpdateRequest.Read(ref reader);
        });
        Assert.Throws<ProtocolErrorException>(() => PegasusKey.Split([0, 9, 1]));
    }

    [Fact]
    public void ASplitChildThatIsNotReady_IsServedByItsParent()
    {
        var answer = new QueryConfigResponse { AppId = 3, PartitionCount = 8 };
        for (var i = 0; i < 8; i++)
        {
            answer.Partitions.Add(new PartitionConfiguration { Pid = new Gpid(3, i), Ballot = i == 6 ? -1 : 5 });
        }

        var configuration = new TableConfiguration("t", answer);

        Assert.Equal(2, configuration.PartitionOf(6));
        Assert.Equal(5, configuration.PartitionOf(5));
        Assert.Equal(1, configuration.PartitionOf(9));
        Assert.Equal((int)(0xFFFFFFFFFFFFFFFFUL % 8), configuration.PartitionOf(0xFFFFFFFFFFFFFFFFUL));
    }

    [Fact]
    public void NextKey_IncrementsTheLastNonFFByte_AndTruncates()
    {
        Assert.Equal(new byte[] { 0, 2, (byte)'a', (byte)'c' }, PegasusKey.Next([0, 2, (byte)'a', (byte)'b']));
        Assert.Equal(new byte[] { 0, 3 }, PegasusKey.Next([0, 2, 0xFF, 0xFF]));
    }

    [Fact]
    public void TheEpoch_Is2016_AndZeroMeansNoExpiry()
    {
        var now = new DateTimeOffset(2016, 1, 1, 0, 1, 40, TimeSpan.Zero);
        Assert.Equal(100, PegasusEpoch.Seconds(now));
        Assert.Equal(110, PegasusEpoch.ExpireAt(now, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, PegasusEpoch.ExpireAt(now, TimeSpan.Zero));
        Assert.False(PegasusEpoch.IsExpired(0, 1_000_000));
        Assert.True(PegasusEpoch.IsExpired(100, 100));
        Assert.False(PegasusEpoch.IsExpired(101, 100));
    }

    [Fact]
    public void UnorderedScanners_AreDealtAsJavaDoes()
    {
        var split = PegasusTable.DealPartitions(8, 3);
        Assert.Equal([[7, 6, 5], [4, 3, 2], [1, 0]], split);
        Assert.Equal(8, PegasusTable.DealPartitions(8, 100).Count);
    }

    private delegate T Decoder<out T>(ref ThriftReader reader);

    private static T Request<T>(string hex, string expectedName, int expectedSeqid, Decoder<T> decode, int expectedPartition = -1, ulong? expectedHash = null)
    {
        var frame = Convert.FromHexString(hex);
        Assert.Equal(frame.Length, ThftFrames.RequestLength(new ReadOnlySequence<byte>(frame), 1 << 20));
        var reader = new ThriftReader(frame);
        var (header, name, seqid) = ThftFrames.ReadRequest(ref reader);
        Assert.Equal((expectedName, expectedSeqid, 2), (name, seqid, header.AppId));
        if (expectedPartition >= 0)
        {
            Assert.Equal(expectedPartition, header.PartitionIndex);
        }

        if (expectedHash is { } hash)
        {
            Assert.Equal(hash, header.PartitionHash);
        }

        var value = decode(ref reader);
        Assert.True(reader.Remaining == 1, "exactly the args struct's STOP must be left");
        return value;
    }

    private static void AssertRoundTrip<T>(T message, Decoder<T> read)
        where T : IThriftMessage
    {
        var first = new ArrayBufferWriter<byte>();
        message.Write(new ThriftWriter(first));
        var reader = new ThriftReader(first.WrittenSpan);
        var decoded = read(ref reader);
        Assert.Equal(0, reader.Remaining);
        var second = new ArrayBufferWriter<byte>();
        decoded.Write(new ThriftWriter(second));
        Assert.Equal(Convert.ToHexString(first.WrittenSpan), Convert.ToHexString(second.WrittenSpan));
    }

    private static (string, string) Split(byte[] key)
    {
        var (hashKey, sortKey) = PegasusKey.Split(key);
        return (Encoding.ASCII.GetString(hashKey), Encoding.ASCII.GetString(sortKey));
    }

    private static byte[] Bytes(Random random)
    {
        var bytes = new byte[random.Next(0, 20)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Ascii(string text) => Convert.ToHexString(Encoding.ASCII.GetBytes(text));

    private static byte[] Hex(params string[] parts) => Convert.FromHexString(string.Concat(parts).Replace(" ", "", StringComparison.Ordinal));
}
