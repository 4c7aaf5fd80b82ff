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

    [Fact]
    public void ClusterUrls_NameEverySeed_AndReadFromReplicasIsOptIn()
    {
        var cluster = RedisOptions.Parse("redis://10.0.0.1:7000,10.0.0.2,[::1]:7002/0?read_from_replicas=true");
        Assert.Equal(("10.0.0.1", 7000), (cluster.Host, cluster.Port));
        Assert.Equal(["10.0.0.1:7000", "10.0.0.2:6379", "::1:7002"], cluster.Seeds.Select(s => $"{s.Host}:{s.Port}"));
        Assert.True(cluster.ReadFromReplicas);
        Assert.False(RedisOptions.Parse("redis://127.0.0.1:7000").ReadFromReplicas);
        Assert.Empty(RedisOptions.Parse("redis://127.0.0.1:7000").Seeds);
    }

    [Theory]
    [InlineData("MOVED 3999 127.0.0.1:6381", "Moved", 3999, "127.0.0.1", 6381)]
    [InlineData("ASK 12182 10.0.0.7:7002", "Ask", 12182, "10.0.0.7", 7002)]
    [InlineData("MOVED 1 [::1]:7000", "Moved", 1, "::1", 7000)]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot", "TryAgain", -1, "", 0)]
    [InlineData("CLUSTERDOWN The cluster is down", "ClusterDown", -1, "", 0)]
    [InlineData("CROSSSLOT Keys in request don't hash to the same slot", "CrossSlot", -1, "", 0)]
    [InlineData("MOVED 16384 127.0.0.1:1", "None", -1, "", 0)]
    [InlineData("MOVED abc 127.0.0.1:1", "None", -1, "", 0)]
    [InlineData("MOVED 3 127.0.0.1", "None", -1, "", 0)]
    [InlineData("ERR unknown command", "None", -1, "", 0)]
    public void ClusterRedirects_AreReadFromErrorReplies(string error, string kind, int slot, string host, int port)
    {
        var redirect = ClusterRedirect.Parse(error);
        Assert.Equal((kind, slot, host, port), (redirect.Kind.ToString(), redirect.Slot, redirect.Host, redirect.Port));
    }
}
