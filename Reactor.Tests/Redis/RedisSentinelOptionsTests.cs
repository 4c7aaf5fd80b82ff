using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Redis;

/// <summary><c>redis+sentinel://</c> URLs, read by <see cref="RedisOptions.Parse"/>.</summary>
public class RedisSentinelOptionsTests
{
    [Fact]
    public void ASentinelUrl_NamesTheSentinelsInOrder_TheMaster_TheDatabase_AndBothPasswords()
    {
        var options = RedisOptions.Parse("redis+sentinel://app:secret@10.0.0.1,10.0.0.2:26380/mymaster/3?sentinel_password=s3&name=worker");

        Assert.Equal([("10.0.0.1", 26379), ("10.0.0.2", 26380)], options.Sentinels);
        Assert.Equal("mymaster", options.SentinelServiceName);
        Assert.Equal(3, options.Database);
        Assert.Equal(("app", "secret"), (options.User, options.Password));
        Assert.Equal("s3", options.SentinelPassword);
        Assert.Equal("worker", options.ClientName);
        Assert.False(options.UseTls);
        Assert.Equal("'mymaster' via sentinels 10.0.0.1:26379,10.0.0.2:26380", options.Describe());
    }

    [Fact]
    public void RedissSentinel_UsesTls_AndTheDatabaseDefaultsToZero()
    {
        var options = RedisOptions.Parse("rediss+sentinel://[::1]:5000/cache");

        Assert.True(options.UseTls);
        Assert.Equal([("::1", 5000)], options.Sentinels);
        Assert.Equal(("cache", 0, null, null), (options.SentinelServiceName, options.Database, options.Password, options.SentinelPassword));
    }

    [Fact]
    public void APlainRedisUrl_HasNoSentinels()
    {
        var options = RedisOptions.Parse("redis://127.0.0.1:6379/2");

        Assert.Empty(options.Sentinels);
        Assert.Null(options.SentinelServiceName);
    }

    [Theory]
    [InlineData("redis+sentinel://127.0.0.1:26379")]
    [InlineData("redis+sentinel://127.0.0.1:26379/")]
    [InlineData("redis+sentinel:///mymaster")]
    [InlineData("redis+sentinel://127.0.0.1:26379/mymaster/notadb")]
    [InlineData("redis+sentinel://127.0.0.1:26379/mymaster/1/extra")]
    [InlineData("redis+sentinel://127.0.0.1:99999/mymaster")]
    [InlineData("redis+sentinel://127.0.0.1/mymaster?nosuchoption=1")]
    public void ABadSentinelUrl_IsAFormatException(string url)
    {
        var error = Assert.Throws<FormatException>(() => RedisOptions.Parse(url));

        Assert.Contains("'", error.Message);
    }
}
