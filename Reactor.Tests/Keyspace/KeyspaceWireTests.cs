using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using ReactiveKv.Keyspace;
using ReactiveKv.Tests.Framing;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>The Keyspace frame decoder, body reader and writer on the spec's recorded bytes (§4 "Examples", §5).</summary>
[Trait("Category", "Unit")]
public class KeyspaceWireTests
{
    // §4 "Examples", client to server, in the order of the probe (the submits where the probe sent them).
    private static readonly string[] SpecRequests =
    [
        "19:s:31:8:kprobe/a:1:1", "1:*",
        "15:g:61:8:kprobe/b",
        "15:g:71:8:kprobe/c",
        "16:g:81:9:kprobe/zz",
        "30:l:101:7:kprobe/:0::1:0:1:0:1:f",
        "30:p:141:7:kprobe/:0::1:0:1:0:1:f",
        "30:c:151:7:kprobe/:0::1:0:1:0:1:f",
        "21:a:211:8:kprobe/a:2:41", "1:*",
        "4:m:20",
    ];

    // §4 "Examples" and §5, server to client; the last two frames are §2's back-to-back pair "5:o:1215:f:131".
    private static readonly string[] SpecReplies =
    [
        "4:o:31", "10:o:61:3:two", "7:o:71:0:", "4:f:81",
        "16:i:101:8:kprobe/a", "16:i:101:8:kprobe/b", "5:.:101",
        "20:j:141:8:kprobe/a:1:1", "5:.:141",
        "9:o:151:1:3", "10:o:211:2:42", "8:o:20:1:0", "4:n:20",
        "5:o:121", "5:f:131",
    ];

    [Fact]
    public void SpecRequests_DecodeAndReencodeByteForByte_HoweverTheStreamIsCut()
    {
        var stream = Ascii(string.Concat(SpecRequests));

        var frames = FrameDecoderHarness.DecodeEveryWay(() => new KeyspaceFrameDecoder(), stream, body => Frame(KeyspaceRequest.Parse(body)));

        Assert.Equal(SpecRequests, frames);
    }

    [Fact]
    public void SpecReplies_DecodeAndReencodeByteForByte_HoweverTheStreamIsCut()
    {
        var stream = Ascii(string.Concat(SpecReplies));

        var frames = FrameDecoderHarness.DecodeEveryWay(() => new KeyspaceFrameDecoder(), stream, body => Frame(KeyspaceReply.Parse(body)));

        Assert.Equal(SpecReplies, frames);
    }

    [Fact]
    public void Replies_CarryTheirFields()
    {
        var replies = DecodeAll(Ascii(string.Concat(SpecReplies[..9]))).Select(KeyspaceReply.Parse).ToList();

        Assert.Equal(
            ["o 31 - -", "o 61 - two", "o 71 - ", "f 81 - -", "i 101 kprobe/a -", "i 101 kprobe/b -", ". 101 - -", "j 141 kprobe/a 1", ". 141 - -"],
            replies.Select(r => $"{(char)r.Type} {r.Id} {Text(r.Key) ?? "-"} {Text(r.Value) ?? "-"}"));
    }

    [Fact]
    public void LeadingZeros_InTheLengthAndTheId_AreAccepted_AndWrittenCanonically()
    {
        var request = KeyspaceRequest.Parse(DecodeAll(Ascii("0010:g:071:2:k1")).Single());

        Assert.Equal((KeyspaceCommand.Get, 71UL, "k1"), (request.Command, request.Id, Text(request.Key)));
        Assert.Equal("9:g:71:2:k1", Frame(request));
    }

    [Fact]
    public void TheExtremeIds_RoundTrip()
    {
        Assert.Equal(0UL, KeyspaceRequest.Parse(Body("m:0")).Id);
        Assert.Equal(ulong.MaxValue, KeyspaceRequest.Parse(Body("m:18446744073709551615")).Id);
    }

    [Fact]
    public void EveryRequestLetter_IsWrittenAsTheSpecLaysItOut()
    {
        byte[] k = Ascii("k");
        Assert.Equal("4:m:20", Frame(new KeyspaceRequest { Command = KeyspaceCommand.GetMaster, Id = 20 }));
        Assert.Equal("7:G:1:1:k", Frame(new KeyspaceRequest { Command = KeyspaceCommand.DirtyGet, Id = 1, Key = k }));
        Assert.Equal("13:s:1:1:k:3:a:b", Frame(new KeyspaceRequest { Command = KeyspaceCommand.Set, Id = 1, Key = k, Value = Ascii("a:b") }));
        Assert.Equal("17:t:2:1:k:2:v1:2:v2", Frame(new KeyspaceRequest { Command = KeyspaceCommand.TestAndSet, Id = 2, Key = k, Test = Ascii("v1"), Value = Ascii("v2") }));
        Assert.Equal("12:a:3:1:k:2:-3", Frame(new KeyspaceRequest { Command = KeyspaceCommand.Add, Id = 3, Key = k, Delta = -3 }));
        Assert.Equal("11:e:4:1:k:1:j", Frame(new KeyspaceRequest { Command = KeyspaceCommand.Rename, Id = 4, Key = k, Value = Ascii("j") }));
        Assert.Equal("7:d:5:1:k", Frame(new KeyspaceRequest { Command = KeyspaceCommand.Delete, Id = 5, Key = k }));
        Assert.Equal("7:r:6:1:k", Frame(new KeyspaceRequest { Command = KeyspaceCommand.Remove, Id = 6, Key = k }));
        Assert.Equal("6:z:7:0:", Frame(new KeyspaceRequest { Command = KeyspaceCommand.Prune, Id = 7 }));
        Assert.Equal("12:x:8:1:k:2:60", Frame(new KeyspaceRequest { Command = KeyspaceCommand.SetExpiry, Id = 8, Key = k, Seconds = 60 }));
        Assert.Equal("7:X:9:1:k", Frame(new KeyspaceRequest { Command = KeyspaceCommand.RemoveExpiry, Id = 9, Key = k }));
        Assert.Equal("4:w:10", Frame(new KeyspaceRequest { Command = KeyspaceCommand.ClearExpiries, Id = 10 }));
        Assert.Equal("1:*", Frame(KeyspaceRequest.Submit));
        Assert.Equal(
            "28:L:11:1:k:2:k1:4:1000:1:1:1:b",
            Frame(new KeyspaceRequest { Command = KeyspaceCommand.DirtyListKeys, Id = 11, Key = k, StartKey = Ascii("k1"), Count = 1000, Offset = 1, Backward = true }));
        var empty = new KeyspaceRequest { Command = KeyspaceCommand.Count, Id = 151, Key = Ascii("kprobe/"), Count = 0 };
        Assert.Equal("30:c:151:7:kprobe/:0::1:0:1:0:1:f", Frame(empty));
    }

    [Fact]
    public void EveryRequestLetter_ParsesBackToItsFields()
    {
        var all = new[]
        {
            "m:1", "g:1:1:k", "G:1:1:k", "l:1:1:p:1:s:1:5:1:2:1:b", "L:1:0::0::1:0:1:0:1:f", "p:1:0::0::1:0:1:0:1:f",
            "P:1:0::0::1:0:1:0:1:f", "c:1:0::0::1:0:1:0:1:f", "C:1:0::0::1:0:1:0:1:f", "s:1:1:k:0:", "t:1:1:k:1:a:1:b",
            "a:1:1:k:2:-3", "e:1:1:k:1:j", "d:1:1:k", "r:1:1:k", "z:1:0:", "x:1:1:k:1:9", "X:1:1:k", "w:1", "*",
        };

        foreach (var body in all)
        {
            var request = KeyspaceRequest.Parse(Body(body));
            Assert.Equal($"{body.Length}:{body}", Frame(request));
        }

        var list = KeyspaceRequest.Parse(Body("l:1:1:p:1:s:1:5:1:2:1:b"));
        Assert.Equal(("p", "s", 5UL, 2UL, true), (Text(list.Key), Text(list.StartKey), list.Count, list.Offset, list.Backward));
    }

    [Fact]
    public void TheCLibrarysUnsignedNegativeDelta_ReadsAsTheNegativeNumber()
    {
        Assert.Equal(-3, KeyspaceRequest.Parse(Body("a:211:1:k:20:18446744073709551613")).Delta);
    }

    [Fact]
    public void AnyBytes_RoundTripInsideStrings()
    {
        byte[] value = [0, (byte)':', 0xFF, (byte)'1', (byte)':'];
        var output = new ArrayBufferWriter<byte>();
        KeyspaceFrameWriter.Write(output, new KeyspaceReply { Type = KeyspaceReplyType.ListPairItem, Id = 9, Key = [(byte)':'], Value = value });

        var reply = KeyspaceReply.Parse(DecodeAll(output.WrittenSpan.ToArray()).Single());

        Assert.Equal([(byte)':'], reply.Key!);
        Assert.Equal(value, reply.Value!);
    }

    [Fact]
    public void ABodyInOneSegment_IsNotCopied()
    {
        var stream = Ascii("10:o:61:3:two");
        var buffer = new ReadOnlySequence<byte>(stream);

        Assert.True(new KeyspaceFrameDecoder().TryDecode(ref buffer, out var body));

        Assert.True(MemoryMarshal.TryGetArray(body.First, out var segment));
        Assert.Same(stream, segment.Array);
        Assert.Equal(3, segment.Offset);
    }

    [Theory]
    [InlineData("x:1", false)]                // not a digit first: the real server would hang (§2)
    [InlineData(":o:1", false)]
    [InlineData("4;o:1", false)]
    [InlineData("1 :*", false)]
    [InlineData("202001:", true)]             // above the server's 202 000-byte read buffer
    [InlineData("99999999999999999999999", true)]
    [InlineData("000000000000000000000001:*", true)]
    public void MalformedFrames_AreRejected(string stream, bool tooLarge)
    {
        var error = FrameDecoderHarness.Rejects(() => new KeyspaceFrameDecoder(), Ascii(stream));

        Assert.Equal(tooLarge, error is FrameTooLargeException);
    }

    [Fact]
    public void TheLargestBody_IsAccepted()
    {
        var frames = DecodeAll(Ascii($"{KeyspaceLimits.MaxFrameBodyBytes}:{new string('x', KeyspaceLimits.MaxFrameBodyBytes)}"));

        Assert.Equal(KeyspaceLimits.MaxFrameBodyBytes, frames.Single().Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("q:1")]                       // unknown letter
    [InlineData("m")]                         // missing id
    [InlineData("m:")]                        // empty id
    [InlineData("m:1:")]                      // trailing bytes
    [InlineData("m:1a")]
    [InlineData("m:18446744073709551616")]    // id above 64 bits
    [InlineData("g:1:2:k")]                   // string shorter than announced
    [InlineData("g:1:1:kk")]                  // trailing byte after the key
    [InlineData("g:1:1k")]
    [InlineData("g:1:-1:k")]
    [InlineData("s:1:1:k")]                   // missing value
    [InlineData("a:1:1:k:2:+1")]              // '+' is a protocol error (§7.3)
    [InlineData("a:1:1:k:0:")]
    [InlineData("a:1:1:k:1:-")]
    [InlineData("x:1:1:k:2:-1")]              // seconds are unsigned
    [InlineData("l:1:0::0::1:0:1:0:1:x")]     // direction other than f/b
    [InlineData("l:1:0::0::1:0:1:0:2:ff")]
    [InlineData("l:1:0::0::1:0:1:0")]         // missing direction
    [InlineData("c:1:0::0::2:1:1:0:1:f")]     // a count whose bytes are not all digits
    [InlineData("*:1")]
    public void MalformedRequestBodies_AreRejected(string body)
    {
        Assert.ThrowsAny<ProtocolErrorException>(() => KeyspaceRequest.Parse(Body(body)));
    }

    [Theory]
    [InlineData("o")]
    [InlineData("o:1:3:ab")]
    [InlineData("o:1:2:ab:")]
    [InlineData("f:1:0:")]
    [InlineData("i:1")]
    [InlineData("j:1:1:k")]
    [InlineData(".:x")]
    [InlineData("s:1")]
    public void MalformedReplyBodies_AreRejected(string body)
    {
        Assert.ThrowsAny<ProtocolErrorException>(() => KeyspaceReply.Parse(Body(body)));
    }

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    private static ReadOnlySequence<byte> Body(string text) => new(Ascii(text));

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.Latin1.GetString(bytes);

    private static string Frame(IKeyspaceBody body)
    {
        var output = new ArrayBufferWriter<byte>();
        KeyspaceFrameWriter.Write(output, body);
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }

    private static List<ReadOnlySequence<byte>> DecodeAll(byte[] stream)
    {
        var buffer = new ReadOnlySequence<byte>(stream);
        var frames = new List<ReadOnlySequence<byte>>();
        var decoder = new KeyspaceFrameDecoder();
        while (decoder.TryDecode(ref buffer, out var frame))
        {
            frames.Add(frame);
        }

        Assert.Equal(0, buffer.Length);
        return frames;
    }
}
