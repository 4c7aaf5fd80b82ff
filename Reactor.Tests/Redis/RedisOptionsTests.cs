using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Redis;

public class RedisOptionsTests
{
    [Fact]
    public void Urls_Parse()
    {
        var plain = RedisOptions.Parse("redis://127.0.0.1:6380/3");
        Assert.Equal(("127.0.0.1", 6380, 3, false), (plain.Host, plain.Port, plain.Database, plain.UseTls));

        var acl = RedisOptions.Parse("rediss://alice:s%3Acret@localhost/0?name=worker&timeout=2.5&protocol=2");
        Assert.Equal(("alice", "s:cret", true, 6379), (acl.User, acl.Password, acl.UseTls, acl.Port));
        Assert.Equal("worker", acl.ClientName);
        Assert.Equal(TimeSpan.FromSeconds(2.5), acl.OperationTimeout);
        Assert.False(acl.PreferResp3);

        var passwordOnly = RedisOptions.Parse("redis://:pw@127.0.0.1");
        Assert.Equal((null, "pw"), (passwordOnly.User, passwordOnly.Password));

        var unix = RedisOptions.Parse("unix:///run/redis.sock?db=2");
        Assert.Equal(("/run/redis.sock", 2), (unix.UnixSocket, unix.Database));
    }

    [Theory]
    [InlineData("127.0.0.1:6379", "not a URL")]
    [InlineData("http://127.0.0.1", "not a Redis URL scheme")]
    [InlineData("redis://127.0.0.1/db1", "not a database number")]
    [InlineData("redis://127.0.0.1/0?timeout=soon", "not a positive number of seconds")]
    [InlineData("redis://127.0.0.1/0?colour=red", "not a Redis URL option")]
    public void BadUrls_SayWhatIsWrong(string url, string message)
    {
        var error = Assert.Throws<FormatException>(() => RedisOptions.Parse(url));
        Assert.Contains(message, error.Message);
    }
}
