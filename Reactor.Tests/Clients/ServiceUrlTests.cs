namespace ReactiveKv.Tests.Clients;

/// <summary>The one URL reader every backend uses.</summary>
[Trait("Category", "Unit")]
public class ServiceUrlTests
{
    [Fact]
    public void ReadsEveryPart_DecodingEach()
    {
        var url = ServiceUrl.Parse("redis://al%40ice:p%3Ass%2Fw@db.example:6380/3?name=my%20app&timeout=2.5", "Redis", 6379, "redis", "rediss");

        Assert.Equal("redis", url.Scheme);
        Assert.Equal("al@ice", url.User);
        Assert.Equal("p:ss/w", url.Password);
        Assert.Equal([("db.example", 6380)], url.Hosts);
        Assert.Equal("3", url.Path);
        Assert.Equal("my app", url.QueryValue("name"));
        Assert.Equal("2.5", url.QueryValue("timeout"));
        Assert.Null(url.QueryValue("absent"));
    }

    [Fact]
    public void HostLists_KeepTheirOrder_WithDefaultPortsAndBracketedIPv6()
    {
        var url = ServiceUrl.Parse("pegasus://m1:34601,[::1]:34602, m3 /temp", "Pegasus", 34601, "pegasus");

        Assert.Equal([("m1", 34601), ("::1", 34602), ("m3", 34601)], url.Hosts);
        Assert.Equal("temp", url.Path);
        Assert.Null(url.User);
        Assert.Null(url.Password);
    }

    [Fact]
    public void UnixSocketUrls_HaveNoHost_AndThePathAfterTheThirdSlash()
    {
        var url = ServiceUrl.Parse("unix:///tmp/redis.sock?db=2", "Redis", 6379, "unix");

        Assert.Empty(url.Hosts);
        Assert.Equal("tmp/redis.sock", url.Path);
        Assert.Equal("2", url.QueryValue("db"));
    }

    [Fact]
    public void AnEmptyUserWithAPassword_IsAPasswordOnly()
    {
        var url = ServiceUrl.Parse("redis://:secret@h", "Redis", 6379, "redis");

        Assert.Null(url.User);
        Assert.Equal("secret", url.Password);
    }

    [Theory]
    [InlineData("127.0.0.1:6379", "not a URL")]
    [InlineData("http://h:1", "not a Redis URL scheme (redis, rediss)")]
    [InlineData("redis://h:0", "bad port '0'")]
    [InlineData("redis://h:99999", "bad port '99999'")]
    [InlineData("redis://h:x", "bad port 'x'")]
    [InlineData("redis://a,,b", "empty host")]
    [InlineData("redis://[::1/0", "unclosed IPv6")]
    [InlineData("redis://:1", "no host name")]
    public void BadUrls_AreFormatErrors_ThatSayWhatIsWrong(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => ServiceUrl.Parse(text, "Redis", 6379, "redis", "rediss"));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADefaultPortOfZero_RequiresEveryHostToNameItsPort()
    {
        var error = Assert.Throws<FormatException>(() => ServiceUrl.Parse("pegasus://m1:1,m2/t", "Pegasus", 0, "pegasus"));
        Assert.Contains("no port in 'm2'", error.Message, StringComparison.Ordinal);
    }
}
