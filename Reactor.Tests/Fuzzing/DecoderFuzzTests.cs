using System.Buffers;
using System.Text;
using ReactiveKv.Fuzzing;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Tests.Framing;
using Xunit.Abstractions;

namespace ReactiveKv.Tests.Fuzzing;

/// <summary>
/// A short fuzz run of every decoder (fixed seed, printed on failure; the long run is <c>-- fuzz --minutes N</c> in the
/// benchmark program), and the bugs earlier runs found, kept as plain tests.
/// </summary>
[Trait("Category", "Unit")]
public class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261205;
    private const int Inputs = 4000;

    public static TheoryData<string> Decoders() => [.. FuzzCatalog.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Decoders))]
    public void MutatedAndSplitStreams_EndInFramesOrTypedErrors_WithinTheLimits(string decoder)
    {
        var fuzzer = new DecoderFuzzer(FuzzCatalog.Named(decoder), Seed);
        var failures = fuzzer.Run(Inputs, maxFailures: 3);
        foreach (var failure in failures)
        {
            output.WriteLine(failure.ToString());
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {fuzzer.Inputs} inputs failed with seed {Seed}; first: {failures.FirstOrDefault()}");
        Assert.Equal(Inputs, fuzzer.Inputs);
    }

    [Fact]
    public void TheFuzzer_CatchesADecoderThatBuffersWithoutLimit()
    {
        // A decoder that waits for a line end for ever is what the fill step exists to catch.
        var target = new FuzzTarget<string>("unbounded-lines", () => new UnboundedLineDecoder(), line => line, [Encoding.ASCII.GetBytes("a\nb\n")], 1024);
        var failures = new DecoderFuzzer(target, Seed).Run(500);
        Assert.Contains(failures, f => f.What.StartsWith("held ", StringComparison.Ordinal));
    }

    [Fact]
    public void AReplicatedRecord_WithAnExpiryPastTheCalendar_DecodesAsNeverExpiring()
    {
        // Found by the fuzzer: xt 0x70_0000_0000 seconds is after year 9999 and used to throw ArgumentOutOfRangeException.
        var message = Convert.FromHexString("00010000A1060B7265706C3A6B7000000000" + "7265706C2D76");
        var record = ReplicationCodec.Decode(1, message);
        Assert.NotNull(record);
        Assert.Null(record.ExpiresAt);
    }

    [Fact]
    public void AnHttpReplyHeaderLine_ThatNeverEnds_IsRefusedPast64KiB()
    {
        // Found by the fuzzer: only finished lines were counted, so one unfinished line could grow without end.
        var decoder = new KtReplyDecoder(4096);
        decoder.Expect(new KtAwaited(KtConnection.Kind.Http));
        var stream = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX-Long: " + new string('a', 65 << 10));
        var buffer = new ReadOnlySequence<byte>(stream);
        Assert.Throws<ProtocolErrorException>(() => decoder.TryDecode(ref buffer, out _));
    }

    [Theory]
    [InlineData("PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXYZ")]
    [InlineData("PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTrailer: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public void ChunkEndsAndTrailers_AreBounded_NotWaitedForWithoutEnd(string wire) =>
        FrameDecoderHarness.Rejects(() => new KtRequestDecoder(maxLine: 64, maxBody: 1024, maxField: 16), Encoding.ASCII.GetBytes(wire));

    [Fact]
    public void HeaderAndTrailerLines_AreBoundedInNumber()
    {
        var headers = "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("A: b\r\n", 300));
        FrameDecoderHarness.Rejects(() => new KtRequestDecoder(maxLine: 64, maxBody: 1024, maxField: 16), Encoding.ASCII.GetBytes(headers));
        var trailers = "PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + string.Concat(Enumerable.Repeat("T: x\r\n", 300));
        FrameDecoderHarness.Rejects(() => new KtRequestDecoder(maxLine: 64, maxBody: 1024, maxField: 16), Encoding.ASCII.GetBytes(trailers));
    }

    [Fact]
    public void ABinaryBulkRequest_IsBoundedAsAWhole_NotOnlyPerRecord()
    {
        // Found by the fuzzer: 2^32 records of empty keys and values were each within the field limit, so the
        // request was buffered without end. 100 records of 8-byte keys pass a 1024-byte request limit.
        var records = string.Concat(Enumerable.Repeat("0000 00000008 00000000 7fffffffffffffff 6162636465666768", 100));
        var wire = Convert.FromHexString(("b8 00000000 00000064" + records).Replace(" ", "", StringComparison.Ordinal));
        Assert.IsType<KtRequestRejectedException>(FrameDecoderHarness.Rejects(() => new KtRequestDecoder(maxLine: 64, maxBody: 1024, maxField: 16), wire));
    }

    [Fact]
    public void ABase64ColumnThatIsNotBase64_IsATypedProtocolError()
    {
        // Found by the fuzzer: padding in the middle of a colenc=B column threw FormatException out of the parser.
        Assert.Throws<ProtocolErrorException>(() => TsvBody.Parse("a2V5\tdg==MQ==\n"u8, 'B'));
        Assert.Equal("key", Encoding.ASCII.GetString(TsvBody.Parse("a2V5\tdg==\n"u8, 'B')[0].Name));
    }

    private sealed class UnboundedLineDecoder : IFrameDecoder<string>
    {
        public bool TryDecode(ref ReadOnlySequence<byte> buffer, out string frame)
        {
            var reader = new SequenceReader<byte>(buffer);
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                frame = "";
                return false;
            }

            frame = Encoding.ASCII.GetString(line);
            buffer = buffer.Slice(reader.Position);
            return true;
        }
    }
}
