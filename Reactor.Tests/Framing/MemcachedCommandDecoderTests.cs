using System.Buffers;
using System.Text;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Tests.Framing;

/// <summary>The memcached plugin's command decoder through the harness, on the command forms of spec §7.</summary>
[Trait("Category", "Unit")]
public class MemcachedCommandDecoderTests
{
    [Fact]
    public void CommandsAndDataBlocks_DecodeTheSame_HoweverTheStreamIsCut()
    {
        var stream = Encoding.Latin1.GetBytes(
            "set k 0 0 5\r\nhello\r\n" +
            "get k other\n" +
            "add a 1 2 6 noreply\r\nab\r\ncd\n" +
            "append k 0 0 1\r\nx\r\n" +
            "set short\r\n" +
            "\r\n" +
            "replace  z  0 0 0\n\n" +
            "delete k\r\n");

        var commands = FrameDecoderHarness.DecodeEveryWay(Decoder, stream, Describe);

        Assert.Equal(
            [
                "set k 0 0 5 [hello]",
                "get k other",
                "add a 1 2 6 noreply [ab\r\ncd]",
                "append k 0 0 1", // an unsupported storage command has no data block: its data line is a command too
                "x",
                "set short",
                "",
                "replace z 0 0 0 []",
                "delete k",
            ],
            commands);
    }

    [Theory]
    [InlineData("get aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("set k 0 0 2000\r\n", true)]
    [InlineData("set k 0 0 -1\r\n", false)]
    [InlineData("set k 0 0 lots\r\n", false)]
    [InlineData("set k 0 0 1\r\nxY", false)]
    [InlineData("set k 0 0 1\r\nx\rY", false)]
    public void LinesAndDataBlocksThePluginDrops_AreRejected(string wire, bool tooLarge)
    {
        var error = FrameDecoderHarness.Rejects(Decoder, Encoding.Latin1.GetBytes(wire));
        Assert.Equal(tooLarge, error is FrameTooLargeException);
    }

    private static MemcachedCommandDecoder Decoder() => new(maxLine: 64, maxData: 1024);

    private static string Describe(MemcachedCommand command) =>
        string.Join(" ", command.Tokens) + (command.Tokens is ["set" or "add" or "replace", _, _, _, _, ..] ? $" [{Encoding.Latin1.GetString(command.Data.ToArray())}]" : "");
}
