using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Clients;

/// <summary>
/// Each backend client over the shared connection service, on virtual time over a string transport: what it writes,
/// how replies are matched, and how deadlines and losses surface, byte for byte and with no real-time wait.
/// </summary>
[Trait("Category", "Unit")]
public class BackendsOnVirtualTimeTests
{
    [Fact]
    public async Task Redis_MatchesRepliesInOrder_TimesOutOnTheReactorClock_AndKeepsTheStreamInStep()
    {
        await using var net = new VirtualNetwork();
        await using var redis = RedisClient.Create(net.Reactor, new RedisOptions { PreferResp3 = false, OperationTimeout = TimeSpan.FromSeconds(1), ConnectWith = net.Connector.Connect });
        var first = redis.Db.Get("a");
        var second = redis.Db.Get("b");
        await net.Settle();
        await net.Accept();
        Assert.Equal("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n", net.Written);

        await net.Reply("$3\r\none\r\n");
        Assert.Equal("one", await first.ToTask().Within());
        await net.Advance(TimeSpan.FromSeconds(1));
        var timeout = await Assert.ThrowsAsync<RedisTimeoutException>(() => second.ToTask().Within());
        Assert.IsAssignableFrom<OperationTimeoutException>(timeout);
        Assert.True(timeout.MayHaveExecuted);

        var third = redis.Db.Get("c");
        await net.Settle();
        await net.Reply("$4\r\nlate\r\n$5\r\nthird\r\n");
        Assert.Equal("third", await third.ToTask().Within());
    }

    [Fact]
    public async Task Redis_ALossFailsSentCommandsAsMayHaveExecuted_AndTheNextConnectionCarriesOn()
    {
        await using var net = new VirtualNetwork();
        await using var redis = RedisClient.Create(net.Reactor, new RedisOptions
        {
            PreferResp3 = false,
            ConnectWith = net.Connector.Connect,
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 },
        });
        var sent = redis.Db.Incr("n");
        await net.Settle();
        await net.Accept();
        await net.OnLoop(() => net.Connector.Drop());

        var lost = await Assert.ThrowsAsync<RedisConnectionException>(() => sent.ToTask().Within());
        Assert.True(lost.MayHaveExecuted);
        var after = redis.Db.Incr("n");
        await net.Settle();
        await net.Accept();
        await net.Reply(":7\r\n");
        Assert.Equal(7, await after.ToTask().Within());
    }

    [Fact]
    public async Task KyotoTycoon_PipelinesHttpCalls_TimesOutOnTheReactorClock_AndDropsTheLateReply()
    {
        const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: text/tab-separated-values\r\nContent-Length: 0\r\n\r\n";
        await using var net = new VirtualNetwork();
        await using var kt = KtClient.Create(net.Reactor, new KtOptions { OperationTimeout = TimeSpan.FromSeconds(2), ConnectWith = net.Connector.Connect });
        var first = kt.Void();
        var second = kt.Void();
        await net.Settle();
        await net.Accept();
        Assert.Equal(2, CountOf(net.Written, "POST /rpc/void HTTP/1.1\r\n"));

        await net.Reply(Ok);
        await first.ToTask().Within();
        await net.Advance(TimeSpan.FromSeconds(2));
        var timeout = await Assert.ThrowsAsync<OperationTimeoutException>(() => second.ToTask().Within());
        Assert.Contains("/rpc/void", timeout.Message);

        var third = kt.Echo(new Dictionary<string, string> { ["x"] = "1" });
        await net.Settle();
        await net.Reply(Ok + "HTTP/1.1 200 OK\r\nContent-Type: text/tab-separated-values\r\nContent-Length: 4\r\n\r\nx\t1\n");
        Assert.Equal("1", (await third.ToTask().Within())["x"]);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
