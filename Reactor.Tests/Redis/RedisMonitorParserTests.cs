using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Redis;

/// <summary>MONITOR lines as redis-server 7 prints them, read back into commands.</summary>
[Trait("Category", "Unit")]
public class RedisMonitorParserTests
{
    [Fact]
    public void AnOrdinaryLine_GivesTimeDatabaseClientCommandAndArguments()
    {
        var line = Parse("1339518083.107412 [0 127.0.0.1:60866] \"keys\" \"*\"");
        Assert.Equal(new DateTimeOffset(2012, 6, 12, 16, 21, 23, TimeSpan.Zero).AddTicks(1_074_120), line.Timestamp);
        Assert.Equal(0, line.Database);
        Assert.Equal("127.0.0.1:60866", line.Client);
        Assert.Equal("keys", line.Command);
        Assert.Equal(["*"], line.Arguments);
    }

    [Fact]
    public void ALuaLine_NamesLuaAsTheClient()
    {
        var line = Parse("1700000000.000001 [3 lua] \"set\" \"k\" \"v\"");
        Assert.Equal((3, "lua", "set"), (line.Database, line.Client, line.Command));
        Assert.Equal(["k", "v"], line.Arguments);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(10), line.Timestamp);
    }

    [Fact]
    public void UnixSocketClients_AndCommandsWithoutArguments_Parse()
    {
        var line = Parse("1700000000.500000 [0 unix:/tmp/redis.sock] \"PING\"");
        Assert.Equal(("unix:/tmp/redis.sock", "PING"), (line.Client, line.Command));
        Assert.Empty(line.Arguments);
    }

    [Fact]
    public void Escapes_AreDecoded()
    {
        var line = Parse("1700000000.000000 [0 127.0.0.1:1] \"set\" \"say \\\"hi\\\"\" \"back\\\\slash\" \"a\\nb\\rc\\td\" \"\\a\\b\" \"\\xe2\\x82\\xac \\x00\"");
        Assert.Equal(["say \"hi\"", "back\\slash", "a\nb\rc\td", "\a\b", "€ \0"], line.Arguments);
    }

    [Fact]
    public void EmptyArguments_AndArgumentsWithSpacesOrBrackets_StayWhole()
    {
        var line = Parse("1700000000.000000 [12 [::1]:5000] \"set\" \"\" \"a b] [c\"");
        Assert.Equal((12, "[::1]:5000"), (line.Database, line.Client));
        Assert.Equal(["", "a b] [c"], line.Arguments);
    }

    [Fact]
    public void ToString_WritesTheLineBackAsTheServerSentIt()
    {
        const string text = "1339518083.107412 [0 127.0.0.1:60866] \"set\" \"say \\\"hi\\\"\\n\" \"\\xe2\\x82\\xac\\x01\"";
        Assert.Equal(text, Parse(text).ToString());
    }

    [Theory]
    [InlineData("OK")]
    [InlineData("")]
    [InlineData("1700000000.000000 [x 127.0.0.1:1] \"get\"")]
    [InlineData("1700000000.000000 [0 127.0.0.1:1] \"unterminated")]
    [InlineData("1700000000.000000 [0 127.0.0.1:1] bare")]
    [InlineData("soon [0 127.0.0.1:1] \"get\"")]
    public void WhatIsNotAMonitorLine_IsRefused(string text) => Assert.False(RedisMonitorParser.TryParse(text, out _));

    private static RedisMonitorLine Parse(string text)
    {
        Assert.True(RedisMonitorParser.TryParse(text, out var line), text);
        return line!;
    }
}
