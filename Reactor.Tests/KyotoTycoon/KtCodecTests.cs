using System.Buffers;
using System.Text;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>The Kyoto Tycoon codecs against the spec's worked bytes and rules.</summary>
[Trait("Category", "Unit")]
public class KtCodecTests
{
    [Fact]
    public void BinarySetBulk_IsTheSpecsWorkedBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        BinaryProtocol.WriteSetBulk(output, false, [(0, "k"u8.ToArray(), "v"u8.ToArray(), KtExpiry.Never.BinaryValue)]);

        Assert.Equal(Hex("b8 00000000 00000001 0000 00000001 00000001 7fffffffffffffff 6b 76"), Convert.ToHexString(output.WrittenSpan));
    }

    [Fact]
    public void BinaryGetBulk_RequestAndReply_AreTheSpecsWorkedBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        BinaryProtocol.WriteKeys(output, BinaryProtocol.GetBulk, noReply: true, [(0, "k"u8.ToArray())]);
        Assert.Equal(Hex("ba 00000000 00000001 0000 00000001 6b"), Convert.ToHexString(output.WrittenSpan));

        var reply = new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromHexString(Hex("ba 00000001 0000 00000001 00000001 000000ffffffffff 6b 76"))));
        Assert.True(BinaryProtocol.TryReadGetBulk(ref reply, 1 << 20, out var records, out var error));
        Assert.False(error);
        var (db, key, value, xt) = Assert.Single(records!);
        Assert.Equal((0, "k", "v", KtExpiry.NeverAbsolute), (db, Encoding.ASCII.GetString(key), Encoding.ASCII.GetString(value), xt));

        var count = new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromHexString("B800000001")));
        Assert.True(BinaryProtocol.TryReadCount(ref count, BinaryProtocol.SetBulk, out var hits, out _));
        Assert.Equal(1, hits);
    }

    [Fact]
    public void BinaryReplies_WaitForWholeRecords_AndReportTheErrorByte()
    {
        var partial = new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromHexString(Hex("ba 00000001 0000 00000001 00000001 000000ffffffffff 6b"))));
        Assert.False(BinaryProtocol.TryReadGetBulk(ref partial, 1 << 20, out _, out _));
        Assert.Equal(0, partial.Consumed);

        var error = new SequenceReader<byte>(new ReadOnlySequence<byte>([0xBF]));
        Assert.True(BinaryProtocol.TryReadCount(ref error, BinaryProtocol.SetBulk, out _, out var failed));
        Assert.True(failed);

        Assert.Throws<FrameTooLargeException>(() =>
        {
            var huge = new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromHexString(Hex("ba 00000001 0000 7fffffff 00000001 000000ffffffffff"))));
            BinaryProtocol.TryReadGetBulk(ref huge, 1 << 20, out _, out _);
        });
    }

    [Theory]
    [InlineData("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008", 'B')]
    [InlineData("one\ttab among letters", 'U')]
    [InlineData("plain é text", null)]
    public void TheClientEncodesOnlyWhatNeedsIt(string value, char? expected)
    {
        var (body, contentType) = TsvBody.Format([("value"u8.ToArray(), Encoding.UTF8.GetBytes(value))]);

        Assert.Equal(expected, TsvBody.ColumnEncodingOf(contentType));
        var decoded = TsvBody.Parse(body, TsvBody.ColumnEncodingOf(contentType));
        Assert.Equal(value, Encoding.UTF8.GetString(Assert.Single(decoded).Value));
    }

    [Fact]
    public void TheServerAlsoEncodesFieldsLongerThan255Bytes_AsUrl()
    {
        var (_, contentType) = TsvBody.Format([("value"u8.ToArray(), Encoding.ASCII.GetBytes(new string('a', 300)))], asServer: true);
        Assert.Equal('U', TsvBody.ColumnEncodingOf(contentType));
    }

    [Fact]
    public void ColumnDecoders_FollowTheServer()
    {
        Assert.Equal("a b", Encoding.ASCII.GetString(ColumnEncoding.Decode("a+b"u8, 'U')));
        Assert.Equal("\n", Encoding.ASCII.GetString(ColumnEncoding.Decode("%0A"u8, 'U')));
        Assert.Equal("ab", Encoding.ASCII.GetString(ColumnEncoding.Decode("a\u00e9b"u8, 'U')));
        Assert.Equal("a=b\u0001", Encoding.ASCII.GetString(ColumnEncoding.Decode("a=3Db=01"u8, 'Q')));
        Assert.Equal("hello", Encoding.ASCII.GetString(ColumnEncoding.Decode("aGVsbG8="u8, 'B')));
        Assert.Equal("~%20%2b", ColumnEncoding.UrlEncode("~ +"u8));
        Assert.Equal("~%20%2b%c3%a9", ColumnEncoding.UrlEncode("~ +\u00e9"u8));
        Assert.Equal('B', TsvBody.ColumnEncodingOf("text/tab-separated-values; COLENC=\"b\""));
    }

    [Fact]
    public void TsvLinesWithoutATab_AreIgnored_AndValuesKeepTheirTabs()
    {
        var entries = TsvBody.Parse("flag\t\r\nno tab here\n\tempty name\nv\ta\tb\n"u8, null);

        Assert.Equal(["flag=", "=empty name", "v=a\tb"], entries.Select(e => $"{Encoding.ASCII.GetString(e.Name)}={Encoding.ASCII.GetString(e.Value)}"));
    }

    [Fact]
    public void CounterFormats_AreEightAndSixteenBytes()
    {
        Assert.Equal("FFFFFFFFFFFFFFFE", Convert.ToHexString(KtNumbers.EncodeInt64(-2)));
        Assert.Equal(-2, KtNumbers.DecodeInt64(KtNumbers.EncodeInt64(-2)));
        Assert.Null(KtNumbers.DecodeInt64("12"u8));
        var minusOneAndAHalf = KtNumbers.EncodeDouble(-1.5m);
        Assert.Equal(-1, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(minusOneAndAHalf));
        Assert.Equal(-500_000_000_000_000, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(minusOneAndAHalf.AsSpan(8)));
        Assert.Equal(-1.5m, KtNumbers.DecodeDouble(KtNumbers.EncodeDouble(-1.5m)));
        Assert.Equal(2.000000000000001m, KtNumbers.DecodeDouble(KtNumbers.EncodeDouble(2.000000000000001m)));
    }

    [Fact]
    public void Expiries_NeverSendTheZeroMeansNowTrap()
    {
        Assert.Null(KtExpiry.Never.RpcValue);
        Assert.Equal("1", KtExpiry.In(TimeSpan.FromMilliseconds(1)).RpcValue);
        Assert.Equal("60", KtExpiry.In(TimeSpan.FromSeconds(60)).RpcValue);
        Assert.Equal("-2000000000", KtExpiry.At(DateTimeOffset.FromUnixTimeSeconds(2_000_000_000)).RpcValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => KtExpiry.In(TimeSpan.Zero));
        Assert.Equal(long.MaxValue, KtExpiry.Never.BinaryValue);
        Assert.Equal(KtExpiry.NeverAbsolute, KtExpiry.Resolve(long.MaxValue, 100));
        Assert.Equal(160, KtExpiry.Resolve(60, 100));
        Assert.Equal(50, KtExpiry.Resolve(-50, 100));
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData("  -7x", -7)]
    [InlineData("", 0)]
    [InlineData("junk", 0)]
    [InlineData("1abc", 1)]
    public void XtIsParsedLikeAtoi(string text, long expected) => Assert.Equal(expected, KtRpc.Atoi(Encoding.ASCII.GetBytes(text)));

    private static string Hex(string spaced) => spaced.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    [Fact]
    public void KtUrls_Parse()
    {
        var options = KtOptions.Parse("kt://localhost:2000/users.kcc");
        Assert.Equal(("localhost", 2000, "users.kcc"), (options.Host, options.Port, options.Database));
        Assert.Equal((1978, null), (KtOptions.Parse("kt://h").Port, KtOptions.Parse("kt://h").Database));
        Assert.Throws<FormatException>(() => KtOptions.Parse("http://h:1/x"));
    }
}
