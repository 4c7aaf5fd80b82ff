using System.Buffers;
using System.Text;
using ReactiveKv.Amqp;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Pegasus.Thrift;
using ReactiveKv.Redis;

namespace ReactiveKv.Fuzzing;

/// <summary>
/// Every decoder of the library, client side and server side, with small limits (so "just past the limit" is cheap
/// to reach), valid streams from the specs' captures and the tests, and a projection that parses each frame as far
/// as the library does (RESP values, thrift headers and structs, AMQP methods and content headers, Keyspace bodies,
/// replication records).
/// </summary>
public static class FuzzCatalog
{
    private const int Limit = 4096;

    /// <summary>The decoders, by name.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        Resp(),
        ThftRequests(),
        ThftResponses(),
        KtReplies(),
        KtRequests(),
        Memcached(),
        KtReplication(),
        KeyspaceRequests(),
        KeyspaceReplies(),
        AmqpFrames(),
    ];

    /// <summary>The target named <paramref name="name"/>.</summary>
    public static FuzzTarget Named(string name) => All.Single(t => t.Name == name);

    private static FuzzTarget Resp()
    {
        var limits = new RespLimits(MaxBulkLength: Limit, MaxAggregateLength: 64, MaxLineLength: 256, MaxDepth: 8);
        string[] replies =
        [
            "+OK\r\n", "-ERR wrong type\r\n", ":1234\r\n", ":-5\r\n", "$5\r\nhello\r\n", "$0\r\n\r\n", "$-1\r\n", "*-1\r\n",
            "*3\r\n$1\r\na\r\n:2\r\n*1\r\n+x\r\n", "%2\r\n+a\r\n:1\r\n+b\r\n*0\r\n", "~2\r\n+a\r\n+b\r\n",
            ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", "_\r\n", "#t\r\n", ",3.25\r\n", ",inf\r\n", "(3492890328409238509324850943850943825024385\r\n",
            "=15\r\ntxt:Some string\r\n", "!21\r\nSYNTAX invalid syntax\r\n", "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:1\r\n",
        ];
        return new FuzzTarget<RawReply>("resp", () => new RespReplyDecoder(limits), r => RespValue.From(r).ToString(),
            [Encoding.ASCII.GetBytes(string.Concat(replies)), .. replies.Select(Encoding.ASCII.GetBytes)], 64L * Limit)
        {
            Nasty = random => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(random.Next(2) == 0 ? "*1\r\n" : "%1\r\n+k\r\n", random.Next(1, 5000))) + ":1\r\n"),
        };
    }

    private static FuzzTarget ThftRequests()
    {
        string[] captured =
        [
            "54484654000000000000003000000000000000710000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f474554000000090c00010c0001000000066361705f68320f00020c0000000400000003615f3100000003615f32000000097a7a5f616273656e7400000003625f3108000300000064080004000f4240020005000000",
            "54484654000000000000003000000000000000610000000000000002000000010000000000003ddfca81d0dd4d58e57180010001000000195250435f525244425f525244425f4745545f5343414e4e4552000000120c00010c00010000000b00066361705f68337330320c00020000000b00066361705f683373303702000301020004000800050000000202000b000000",
            "544846540000000000000030000000000000002e0000000000000002000000010000000000003ddfca81d0dd4d58e57180010001000000125250435f525244425f525244425f5343414e000000130c00010a00010000009a000000000000",
            "54484654000000000000003000000000000000830000000000000002000000000000000000003ddeb5ef20157d6d6c0880010001000000175250435f525244425f525244425f4d554c54495f505554000000080c00010c0001000000066361705f68320f00020c000000030c000100000003615f310c000200000003766131000c000100000003615f320c000200000003766132000c000100000003625f310c00020000000376623100080003000000000000",
            "54484654000000000000003000000000000000350000000000000002000000000000000000003ddeb5ef20157d6d6c08800100010000001b5250435f525244425f525244425f534f52544b45595f434f554e540000000b0c0001000000066361705f683200",
        ];
        var v1 = new ArrayBufferWriter<byte>();
        ThftFrames.WriteRequest(v1, new ArrayBufferWriter<byte>(), new RequestHeader(1, 2, 3, 1000, 42, true), RpcNames.Get, 77, new BlobArgs(PegasusKey.Compose("h"u8, "s"u8)));
        byte[][] seeds = [.. captured.Select(Convert.FromHexString), v1.WrittenSpan.ToArray()];
        return new FuzzTarget<ReadOnlySequence<byte>>("thft-requests", () => ThftFrameDecoder.Requests(Limit), DescribeRequest, [seeds.SelectMany(s => s).ToArray(), .. seeds], 2L * Limit);
    }

    private static FuzzTarget ThftResponses()
    {
        var stream = Hex(
            "00000066 00000006", Ascii("ERR_OK"), "80010002 00000015", Ascii("RPC_RRDB_RRDB_GET_ACK"), "00000001",
            "0c 0000 08 0001 00000000 0c 0002 00000001 76 08 0003 00000002 08 0004 00000000 0b 0006 0000000e", Ascii("10.0.0.1:34801"), "00 00",
            "0000003d 00000014", Ascii("ERR_OBJECT_NOT_FOUND"), "80010002 00000015", Ascii("RPC_RRDB_RRDB_GET_ACK"), "00000002");
        return new FuzzTarget<ReadOnlySequence<byte>>("thft-responses", () => ThftFrameDecoder.Responses(Limit), DescribeResponse, [stream], 2L * Limit);
    }

    private static FuzzTarget KtReplies()
    {
        const string Body = "num\t42\n";
        KtAwaited[] awaited =
        [
            new(KtConnection.Kind.Http),
            new(KtConnection.Kind.Http, Head: true),
            new(KtConnection.Kind.BinaryCount, Magic: BinaryProtocol.SetBulk),
            new(KtConnection.Kind.BinaryGetBulk, Magic: BinaryProtocol.GetBulk),
            new(KtConnection.Kind.BinaryScript, Magic: BinaryProtocol.PlayScript),
            new(KtConnection.Kind.BinaryCount, Magic: BinaryProtocol.RemoveBulk),
            new(KtConnection.Kind.BinaryScript, Magic: BinaryProtocol.PlayScript),
            new(KtConnection.Kind.Http),
        ];
        var stream = Concat(
            Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nServer: KyotoTycoon/0.9.56b\r\nDate: Sun, 22 Nov 2026 09:16:09 GMT\r\nContent-Length: {Body.Length}\r\nContent-Type: text/tab-separated-values\r\n\r\n{Body}"),
            Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Kt-Xt: Tue, 01 Jan 2030 00:00:00 GMT\r\n\r\n"),
            Hex("b8 00000001"),
            Hex("ba 00000001 0000 00000001 00000001 000000ffffffffff 6b 76"),
            Hex("b4 00000001 00000001 00000002 61 7879"),
            Hex("bf"),
            Hex("bf"),
            Encoding.ASCII.GetBytes("HTTP/1.1 450 Logical Inconsistency\r\nContent-Length: 0\r\n\r\n"));
        return new FuzzTarget<KtReply>("kt-replies", () =>
        {
            var decoder = new KtReplyDecoder(Limit);
            foreach (var next in awaited)
            {
                decoder.Expect(next);
            }

            return decoder;
        }, DescribeKtReply, [stream], (64 << 10) + 4L * Limit); // HTTP headers: a fixed 64 KiB, as ktserver's
    }

    private static FuzzTarget KtRequests()
    {
        const string RpcBody = "key\tk\nvalue\tv\n";
        var stream = Concat(
            Encoding.ASCII.GetBytes($"POST /rpc/set HTTP/1.1\r\nHost: x\r\nContent-Type: text/tab-separated-values\r\nContent-Length: {RpcBody.Length}\r\n\r\n{RpcBody}"),
            Encoding.ASCII.GetBytes("GET /rpc/echo?a=1 HTTP/1.0\nConnection: keep-alive\n\n"),
            Encoding.ASCII.GetBytes("PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n"),
            Hex("b8 00000000 00000001 0000 00000001 00000001 7fffffffffffffff 6b 76"),
            Hex("ba 00000000 00000001 0000 00000001 6b"),
            Hex("b9 00000001 00000002 0000 00000001 61 0001 00000001 62"),
            Hex("b4 00000000 00000004 00000001 6563686f 00000001 00000001 61 62"),
            Hex("b1 00000001 0000000000000064 0002"),
            Hex("b1 b1"));
        // Column encodings, each its own stream (the binary replication request above leaves the connection expecting acks).
        byte[][] encoded =
        [
            Encoding.ASCII.GetBytes("POST /rpc/set HTTP/1.1\r\nContent-Type: text/tab-separated-values; colenc=B\r\nContent-Length: 18\r\n\r\na2V5\tdg==\nxt\tMQ==\n"),
            Encoding.ASCII.GetBytes("POST /rpc/set HTTP/1.1\r\nContent-Type: text/tab-separated-values; colenc=U\r\nContent-Length: 22\r\n\r\nkey\tk%09%0A\nvalue\t%FF\n"),
            Encoding.ASCII.GetBytes("POST /rpc/set HTTP/1.1\r\nContent-Type: text/tab-separated-values; colenc=Q\r\nContent-Length: 19\r\n\r\nkey\tk=3D\nvalue\t=FF\n"),
        ];
        return new FuzzTarget<KtRequest>("kt-requests", () => new KtRequestDecoder(maxLine: 256, maxBody: Limit, maxField: 32), DescribeKtRequest, [stream, .. encoded], 64L * Limit);
    }

    private static FuzzTarget Memcached()
    {
        var stream = Encoding.Latin1.GetBytes(
            "set k 0 0 5\r\nhello\r\n" + "get k other\n" + "add a 1 2 6 noreply\r\nab\r\ncd\n" + "append k 0 0 1\r\nx\r\n" +
            "set short\r\n" + "\r\n" + "replace  z  0 0 0\n\n" + "delete k\r\n" + "incr n 5\r\n" + "gets a b c\r\n");
        return new FuzzTarget<MemcachedCommand>("memcached", () => new MemcachedCommandDecoder(maxLine: 256, maxData: Limit), command =>
            string.Join(" ", command.Tokens) + " [" + Encoding.Latin1.GetString(command.Data.ToArray()) + "]", [stream], 2L * Limit);
    }

    private static FuzzTarget KtReplication()
    {
        const string Seen = "b1 18ea536e4930b200 00000018 0001 0000 a1 06 0b 7265706c3a6b 0077359400 7265706c2d76";
        var stream = Hex("b1", Seen, "b0 18ea536e4930b201", "b1 18ea536e4930b202 00000000", "b1 18ea536e4930b203 00000009 0001 0000 a2 03 616263");
        return new FuzzTarget<ReplicationFrame>("kt-replication", () => new ReplicationDecoder(Limit), frame =>
        {
            var message = frame.Message.ToArray();
            var record = frame.Kind == ReplicationFrameKind.Record && message.Length > 0 ? ReplicationCodec.Decode(frame.Timestamp, message) : null;
            return $"{frame.Kind} {frame.Timestamp:x} {Convert.ToHexString(message)} {record?.Op} {record?.Key.Length}";
        }, [stream], 2L * Limit);
    }

    private static FuzzTarget KeyspaceRequests()
    {
        string[] requests =
        [
            "19:s:31:8:kprobe/a:1:1", "1:*", "15:g:61:8:kprobe/b", "15:g:71:8:kprobe/c", "16:g:81:9:kprobe/zz",
            "30:l:101:7:kprobe/:0::1:0:1:0:1:f", "30:p:141:7:kprobe/:0::1:0:1:0:1:f", "30:c:151:7:kprobe/:0::1:0:1:0:1:f",
            "21:a:211:8:kprobe/a:2:41", "1:*", "4:m:20",
        ];
        return new FuzzTarget<ReadOnlySequence<byte>>("keyspace-requests", () => new KeyspaceFrameDecoder(Limit), body => KeyspaceRequest.Parse(body).ToString() ?? "",
            [Encoding.ASCII.GetBytes(string.Concat(requests))], 2L * Limit);
    }

    private static FuzzTarget KeyspaceReplies()
    {
        string[] replies =
        [
            "4:o:31", "10:o:61:3:two", "7:o:71:0:", "4:f:81", "16:i:101:8:kprobe/a", "16:i:101:8:kprobe/b", "5:.:101",
            "20:j:141:8:kprobe/a:1:1", "5:.:141", "9:o:151:1:3", "10:o:211:2:42", "8:o:20:1:0", "4:n:20", "5:o:121", "5:f:131",
        ];
        return new FuzzTarget<ReadOnlySequence<byte>>("keyspace-replies", () => new KeyspaceFrameDecoder(Limit), body => KeyspaceReply.Parse(body).ToString() ?? "",
            [Encoding.ASCII.GetBytes(string.Concat(replies))], 2L * Limit);
    }

    private static FuzzTarget AmqpFrames()
    {
        var publish = new ArrayBufferWriter<byte>();
        var table = new FieldTable
        {
            ["s"] = "text", ["i"] = 42, ["l"] = 1L << 40, ["b"] = true, ["d"] = 2.5, ["t"] = new FieldTable { ["x"] = (byte)1 },
            ["a"] = new List<object?> { 1, "two" }, ["n"] = null, ["ts"] = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        };
        AmqpFrameWriter.WritePublish(publish, 1, new BasicPublish { Exchange = "ex", RoutingKey = "q1" },
            new BasicProperties { ContentType = "text/plain", CorrelationId = "c1", ReplyTo = "amq.rabbitmq.reply-to", Headers = table, DeliveryMode = 2, Priority = 3 },
            "hello"u8.ToArray(), 64);
        var stream = Hex("01 0000 00000004 000A 0033 CE").Concat(publish.WrittenSpan.ToArray()).Concat(Hex("08 0000 00000000 CE")).Concat(Hex("03 0001 00000000 CE")).ToArray();
        return new FuzzTarget<AmqpFrame>("amqp", () => new AmqpFrameDecoder(Limit), DescribeAmqp, [stream], 2L * Limit);
    }

    private static string DescribeRequest(ReadOnlySequence<byte> frame)
    {
        var reader = new ThriftReader(frame.ToArray());
        var (header, name, seqid) = ThftFrames.ReadRequest(ref reader);
        if (reader.Remaining > 0)
        {
            // The arguments: a struct the server reads field by field.
            reader.Skip(ThriftType.Struct);
        }

        return $"v{header.Version} {name} #{seqid} app {header.AppId} partition {header.PartitionIndex} ({frame.Length} bytes)";
    }

    private static string DescribeResponse(ReadOnlySequence<byte> frame)
    {
        var reader = new ThriftReader(frame.ToArray());
        var (error, name, seqid, hasResult) = ThftFrames.ReadResponse(ref reader);
        if (hasResult && reader.Remaining > 0)
        {
            reader.Skip(ThriftType.Struct);
        }

        return $"{error} {name} #{seqid}{(hasResult ? " result" : "")} ({frame.Length} bytes)";
    }

    private static string DescribeKtReply(KtReply reply) => reply switch
    {
        { Http: { } http } => $"{http.Status} {http.Reason} [{Encoding.Latin1.GetString(http.Body)}] tsv {Tsv(http.Body, http.Header("Content-Type"))}",
        { Failed: true } => "error",
        { Binary: long hits } => $"hits {hits}",
        { Binary: { } other } => other.GetType().Name,
        _ => "?",
    };

    private static string DescribeKtRequest(KtRequest request) => request switch
    {
        KtRequest.Http http => $"{http.Method} {http.Target} {http.Version} [{string.Join(",", http.Headers.Keys.Order(StringComparer.Ordinal))}] {Encoding.Latin1.GetString(http.Body)} tsv {Tsv(http.Body, http.Headers.GetValueOrDefault("content-type"))}",
        KtRequest.Bulk bulk => $"bulk {bulk.Magic:X2} flags {bulk.Flags}: " + string.Join(",", bulk.Records.Select(r => $"{r.Db}:{r.Key.Length}={r.Value.Length}@{r.Xt}")),
        KtRequest.Script script => $"script {script.Name} flags {script.Flags}: {script.Records.Count}",
        KtRequest.Replicate replicate => $"replicate from {replicate.Timestamp} for sid {replicate.ServerId} flags {replicate.Flags}",
        _ => "ack",
    };

    private static string DescribeAmqp(AmqpFrame frame) => frame.Type switch
    {
        AmqpFrameType.Method => $"method {frame.Channel} {AmqpMethodDecoder.Decode(frame.Payload)}",
        AmqpFrameType.Header => $"header {frame.Channel} {AmqpContentHeader.Decode(frame.Payload)}",
        _ => $"{frame.Type} {frame.Channel} {frame.Payload.Length}",
    };

    // The RPC bodies both sides parse: tab-separated columns, possibly Base64, quoted-printable or URL-encoded.
    private static int Tsv(byte[] body, string? contentType) => TsvBody.Parse(body, TsvBody.ColumnEncodingOf(contentType)).Count;

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Hex(params object[] parts) =>
        [.. parts.SelectMany(p => p is byte[] bytes ? bytes : Convert.FromHexString(((string)p).Replace(" ", "", StringComparison.Ordinal)))];

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
