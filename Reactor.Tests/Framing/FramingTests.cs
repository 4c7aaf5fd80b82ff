using System.Buffers;
using System.Text;
using ReactiveKv.Testing;

namespace ReactiveKv.Tests.Framing;

[Trait("Category", "Unit")]
public class FramingTests
{
    private static readonly byte[] Stream = Encoding.ASCII.GetBytes("first\r\nsecond line\r\n\r\nfourth\r\n");

    [Fact]
    public void LineReceiver_GivesTheSameLines_ForEverySplitOfTheStream()
    {
        for (var split = 0; split <= Stream.Length; split++)
        {
            for (var second = split; second <= Stream.Length; second++)
            {
                var protocol = new Lines();
                var transport = new StringTransport();
                transport.Attach(protocol);
                transport.Receive(Stream.AsSpan(0, split));
                transport.Receive(Stream.AsSpan(split, second - split));
                transport.Receive(Stream.AsSpan(second));

                Assert.Equal(["first", "second line", "", "fourth"], protocol.Received);
            }
        }
    }

    [Fact]
    public void LineReceiver_ByteByByte()
    {
        var protocol = new Lines();
        var transport = new StringTransport();
        transport.Attach(protocol);
        foreach (var b in Stream)
        {
            transport.Receive([b]);
        }

        Assert.Equal(["first", "second line", "", "fourth"], protocol.Received);
    }

    [Fact]
    public void LineReceiver_AbortsOnAnOverlongLine_EvenWithoutADelimiter()
    {
        var protocol = new Lines { MaxLineLength = 8 };
        var transport = new StringTransport();
        transport.Attach(protocol);
        transport.Receive("short\r\n"u8);
        transport.Receive("this line is much too long"u8);

        Assert.Equal(["short"], protocol.Received);
        Assert.True(transport.Aborted);
    }

    [Fact]
    public void LineReceiver_SendLine_AppendsTheDelimiter_AndCustomDelimitersWork()
    {
        var protocol = new Lines();
        protocol.Delimiter = "\n"u8;
        var transport = new StringTransport();
        transport.Attach(protocol);
        protocol.SendLine("hello"u8);
        transport.Receive("a\nb\n"u8);

        Assert.Equal("hello\n"u8.ToArray(), transport.Value());
        Assert.Equal(["a", "b"], protocol.Received);
    }

    [Fact]
    public void LineReceiver_RawMode_HandsOverTheRestOfTheBytes()
    {
        var protocol = new HeaderThenBody();
        var transport = new StringTransport();
        transport.Attach(protocol);
        transport.Receive("LEN 5\r\nhel"u8);
        transport.Receive("loNEXT\r\n"u8);

        Assert.Equal("hello", protocol.Body);
        Assert.Equal(["LEN 5", "NEXT"], protocol.Received);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void IntNStringReceiver_RoundTrips_AtEverySplit(int prefix)
    {
        var sender = new Strings(prefix);
        var wire = new StringTransport();
        wire.Attach(sender);
        string[] messages = ["", "a", "hello world", new string('x', 200)];
        foreach (var m in messages)
        {
            sender.SendString(Encoding.ASCII.GetBytes(m));
        }

        var bytes = wire.Value();
        for (var split = 0; split <= bytes.Length; split++)
        {
            var receiver = new Strings(prefix);
            var transport = new StringTransport();
            transport.Attach(receiver);
            transport.Receive(bytes.AsSpan(0, split));
            transport.Receive(bytes.AsSpan(split));
            Assert.Equal(messages, receiver.Received);
        }
    }

    [Fact]
    public void Int16StringReceiver_RejectsAMessageTooLongForItsPrefix()
    {
        var sender = new Strings(2);
        new StringTransport().Attach(sender);
        Assert.Throws<ArgumentException>(() => sender.SendString(new byte[70000]));
    }

    [Fact]
    public void IntNStringReceiver_AbortsWhenAPrefixAnnouncesTooMuch()
    {
        var receiver = new Strings(4) { MaxLength = 10 };
        var transport = new StringTransport();
        transport.Attach(receiver);
        transport.Receive([0, 0, 0, 11, 1, 2]);
        Assert.True(transport.Aborted);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public void FramedProtocol_RunsTheDecoder_AndProtocolErrorsPropagate()
    {
        var protocol = new Framed();
        var transport = new StringTransport();
        transport.Attach(protocol);
        transport.Receive("{ab}{c"u8);
        transport.Receive("d}"u8);
        Assert.Equal(["ab", "cd"], protocol.Frames);
        Assert.Throws<ProtocolErrorException>(() => transport.Receive("oops"u8));
    }

    [Fact]
    public void FramedProtocol_WhileSuspended_LeavesFramesBuffered_UntilTheNextDelivery()
    {
        var protocol = new Framed { HoldAfter = "ab" };
        var transport = new StringTransport();
        transport.Attach(protocol);
        transport.Receive("{ab}{cd}"u8);
        Assert.Equal(["ab"], protocol.Frames);

        protocol.HoldAfter = null;
        transport.Receive("{ef}"u8);
        Assert.Equal(["ab", "cd", "ef"], protocol.Frames);
    }

    [Fact]
    public void FramedProtocol_AHandledFrameError_DropsTheRestOfTheInput()
    {
        var protocol = new Framed { HandleErrors = true };
        var transport = new StringTransport();
        transport.Attach(protocol);
        transport.Receive("{ab}oops{cd}"u8);
        transport.Receive("{ef}"u8);

        Assert.Equal(["ab", "ef"], protocol.Frames);
        Assert.Equal(["a frame must start with '{'"], protocol.Errors);
    }

    private sealed class Lines : LineReceiver
    {
        public List<string> Received { get; } = [];

        protected override void LineReceived(in ReadOnlySequence<byte> line) => Received.Add(Encoding.ASCII.GetString(line));
    }

    private sealed class HeaderThenBody : LineReceiver
    {
        private int _expected;

        public List<string> Received { get; } = [];

        public string? Body { get; private set; }

        protected override void LineReceived(in ReadOnlySequence<byte> line)
        {
            var text = Encoding.ASCII.GetString(line);
            Received.Add(text);
            if (text.StartsWith("LEN ", StringComparison.Ordinal))
            {
                _expected = int.Parse(text[4..], System.Globalization.CultureInfo.InvariantCulture);
                SetRawMode();
            }
        }

        protected override SequencePosition RawDataReceived(in ReadOnlySequence<byte> data)
        {
            if (data.Length < _expected)
            {
                return data.Start;
            }

            Body = Encoding.ASCII.GetString(data.Slice(0, _expected));
            SetLineMode();
            return data.GetPosition(_expected);
        }
    }

    private sealed class Strings(int prefix) : IntNStringReceiver(prefix)
    {
        public List<string> Received { get; } = [];

        protected override void StringReceived(in ReadOnlySequence<byte> message) => Received.Add(Encoding.ASCII.GetString(message));
    }

    private sealed class BraceDecoder : IFrameDecoder<string>
    {
        public bool TryDecode(ref ReadOnlySequence<byte> buffer, out string frame)
        {
            frame = "";
            if (buffer.IsEmpty)
            {
                return false;
            }

            if (buffer.FirstSpan[0] != (byte)'{')
            {
                throw new ProtocolErrorException("a frame must start with '{'");
            }

            var end = buffer.PositionOf((byte)'}');
            if (end is null)
            {
                return false;
            }

            frame = Encoding.ASCII.GetString(buffer.Slice(1, buffer.Slice(0, end.Value).Length - 1));
            buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
            return true;
        }
    }

    private sealed class Framed() : FramedProtocol<string>(new BraceDecoder())
    {
        public List<string> Frames { get; } = [];

        public List<string> Errors { get; } = [];

        public string? HoldAfter { get; set; }

        public bool HandleErrors { get; init; }

        protected override bool Suspended => HoldAfter is { } frame && Frames.Contains(frame);

        protected override void FrameReceived(string frame) => Frames.Add(frame);

        protected override bool FrameError(ProtocolErrorException error)
        {
            Errors.Add(error.Message);
            return HandleErrors;
        }
    }
}
