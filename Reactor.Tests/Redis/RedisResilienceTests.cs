using ReactiveKv.Redis.Testing;
using System.Buffers;
using System.Text;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

public class RedisResilienceTests
{
    [Fact]
    public async Task AServerKilledAndRestartedMidLoad_LosesNothingAcknowledged_AndEveryCommandSettles()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await RedisServerProcess.StartAsync();
        var options = RedisOptions.Parse(server.Url) with { OperationTimeout = TimeSpan.FromSeconds(20) };
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, options);
        var db = client.Db;

        var results = new List<(int Index, Deferred<bool> Result)>();
        for (var i = 0; i < 3000; i++)
        {
            results.Add((i, db.Set($"k:{i}", i)));
            if (i == 1000)
            {
                server.Kill();
            }

            if (i == 2000)
            {
                await server.RestartAsync();
            }
        }

        var outcomes = await Deferred.List(results.Select(r => r.Result)).ToTask().Within();
        var acknowledged = results.Where((r, i) => outcomes[i].Success).Select(r => r.Index).ToList();
        var failed = outcomes.Where(o => !o.Success).Select(o => o.Error).ToList();

        Assert.All(failed, e => Assert.IsAssignableFrom<RedisConnectionException>(e));
        Assert.NotEmpty(acknowledged);

        // The restarted server is empty (no persistence): what it holds is what was acknowledged after the restart.
        var afterRestart = acknowledged.Where(i => i > 2000).ToList();
        Assert.NotEmpty(afterRestart);
        var stored = await db.MGet(afterRestart.Select(i => (RedisValue)$"k:{i}").ToArray());
        Assert.Equal(afterRestart.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), stored);
        Assert.True(client.IsConnected);
        Assert.Equal("PONG", await db.Ping());
    }

    [Fact]
    public async Task CommandsWrittenWhenTheConnectionDrops_FailSayingTheyMayHaveExecuted_AndTheClientRecovers()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await RedisServerProcess.StartAsync();
        var options = RedisOptions.Parse(server.Url) with { Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) } };
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, options);
        Assert.Equal("PONG", await client.Db.Ping());

        // The server sleeps with both commands written, then dies: neither can have an answer.
        var sleeping = client.Db.Execute("DEBUG", "SLEEP", "2");
        var written = client.Db.Incr("counter");
        await client.Db.WithTimeout(TimeSpan.FromMilliseconds(100)).Ping().ToTask().ContinueWith(_ => { }, TaskScheduler.Default);
        server.Kill();

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await written);
        Assert.True(error.MayHaveExecuted);
        Assert.True((await Assert.ThrowsAsync<RedisConnectionException>(async () => await sleeping)).MayHaveExecuted);

        await server.RestartAsync();
        Assert.Equal("PONG", await client.Db.WithTimeout(TimeSpan.FromSeconds(20)).Ping().ToTask().Within());
    }

    [Fact]
    public async Task AMalformedReply_FailsTheWaitingCommands_WithAProtocolError_AndTheClientReconnects()
    {
        await using var fixture = new ReactorFixture();
        var peer = new FakeRedis();
        var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => peer.NewConnection()));
        var options = new RedisOptions { Port = port.Port, PreferResp3 = false, Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(10) } };
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, options);

        Assert.Equal("hello", await client.Db.Get("good"));
        peer.Poison = true;
        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.Db.Get("bad"));
        Assert.Contains("malformed", error.Message);
        Assert.IsAssignableFrom<ProtocolErrorException>(error.InnerException);

        peer.Poison = false;
        Assert.Equal("hello", await client.Db.Get("good").ToTask().Within());
        Assert.True(peer.Connections >= 2);
    }

    [Fact]
    public async Task ConnectingToNothing_FailsFastWithATypedError_AndLazyCommandsTimeOutSayingWhy()
    {
        await using var fixture = new ReactorFixture();
        var port = ReactorFixture.FreePort();
        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await RedisClient.ConnectAsync(fixture.Reactor, $"redis://127.0.0.1:{port}"));
        Assert.IsType<ConnectionRefusedException>(error.InnerException);
        Assert.False(error.MayHaveExecuted);

        await using var lazy = RedisClient.Create(fixture.Reactor, new RedisOptions { Port = port, OperationTimeout = TimeSpan.FromMilliseconds(200) });
        var timeout = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await lazy.Db.Get("k"));
        Assert.False(timeout.MayHaveExecuted);
        Assert.Contains("refused", timeout.Message);
    }

    [Fact]
    public async Task ManyClientsConnectingAtOnceOverAUnixSocket_AllHandshakeCleanly()
    {
        // Regression: a handshake finishing before the client's constructor returned once saw no loop yet.
        await using var fixture = new ReactorFixture();
        await using var server = await RedisServerProcess.StartAsync(unixSocket: true);
        var clients = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => RedisClient.ConnectAsync(fixture.Reactor, $"unix://{server.UnixSocket}")))).Within();
        try
        {
            var pongs = await Task.WhenAll(clients.Select(c => c.Db.Ping().ToTask())).Within();
            Assert.All(pongs, p => Assert.Equal("PONG", p));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TheBacklogIsBounded()
    {
        await using var fixture = new ReactorFixture();
        var port = ReactorFixture.FreePort();
        await using var client = RedisClient.Create(fixture.Reactor, new RedisOptions { Port = port, MaxBacklog = 10, OperationTimeout = TimeSpan.FromSeconds(30) });
        var queued = Enumerable.Range(0, 10).Select(i => client.Db.Get("k")).ToList();
        var rejected = client.Db.Get("k");
        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await rejected);
        Assert.Contains("10 requests already wait", error.Message);
        Assert.Contains("MaxBacklog", error.Message);
        Assert.False(error.MayHaveExecuted);
        Assert.All(queued, q => Assert.False(q.Called));
    }

    [Fact]
    public async Task CommandsIssuedBeforeTheServerIsUp_AreSentOnceItIs()
    {
        await using var fixture = new ReactorFixture();
        var port = ReactorFixture.FreePort();
        await using var client = RedisClient.Create(fixture.Reactor, new RedisOptions { Port = port, OperationTimeout = TimeSpan.FromSeconds(20), Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) } });
        var early = client.Db.Set("early", "bird");
        await using var server = await RedisServerProcess.StartAsync(port);
        Assert.True(await early.ToTask().Within());
        Assert.Equal("bird", await client.Db.Get("early"));
    }

    [Fact]
    public async Task AclUsers_ClientNames_Resp2Fallback_AndUnixSockets()
    {
        await using var fixture = new ReactorFixture();
        await using var server = await RedisServerProcess.StartAsync(unixSocket: true);
        await using (var admin = await RedisClient.ConnectAsync(fixture.Reactor, server.Url))
        {
            await admin.Db.Execute("ACL", "SETUSER", "alice", "on", ">s3cret", "~*", "&*", "+@all");
        }

        await using (var alice = await RedisClient.ConnectAsync(fixture.Reactor, $"redis://alice:s3cret@127.0.0.1:{server.Port}/0?name=worker-1"))
        {
            Assert.Equal("alice", (await alice.Db.Execute("ACL", "WHOAMI")).Text);
            Assert.Equal("worker-1", (await alice.Db.Execute("CLIENT", "GETNAME")).Text);
        }

        var refused = await Assert.ThrowsAsync<RedisConnectionException>(async () =>
            await RedisClient.ConnectAsync(fixture.Reactor, $"redis://alice:wrong@127.0.0.1:{server.Port}"));
        Assert.Equal("WRONGPASS", Assert.IsType<RedisReplyException>(refused.InnerException).Prefix);

        await using (var resp2 = await RedisClient.ConnectAsync(fixture.Reactor, $"redis://127.0.0.1:{server.Port}?protocol=2"))
        {
            Assert.Equal(2, resp2.Protocol);
            await resp2.Db.HSet("h", "f", "v");
            Assert.Equal("v", (await resp2.Db.HGetAll("h"))["f"]);
            await resp2.Db.ZAdd("z", "m", 1.5);
            Assert.Equal(new[] { new SortedSetEntry("m", 1.5) }, await resp2.Db.ZRangeWithScores("z", 0, -1));
            var first = System.Reactive.Linq.Observable.FirstAsync(System.Reactive.Linq.Observable.Where(resp2.Subscribe("ch"), m => m.Kind == RedisMessageKind.Message)).ToTask();
            await System.Reactive.Linq.Observable.FirstAsync(System.Reactive.Linq.Observable.Where(resp2.Subscribe("ch"), m => m.Kind == RedisMessageKind.Subscribed)).ToTask().Within();
            await resp2.Publish("ch", "resp2 pubsub");
            Assert.Equal("resp2 pubsub", (await first.Within()).Text);
        }

        await using var overUnix = await RedisClient.ConnectAsync(fixture.Reactor, $"unix://{server.UnixSocket}?db=1");
        await overUnix.Db.Set("u", "over a unix socket");
        Assert.Equal("over a unix socket", await overUnix.Db.Get("u"));
    }

    /// <summary>A server that answers every GET with "hello" until poisoned, then with garbage.</summary>
    private sealed class FakeRedis
    {
        public bool Poison { get; set; }

        public int Connections { get; private set; }

        public IProtocol NewConnection()
        {
            Connections++;
            return new Connection(this);
        }

        private sealed class Connection(FakeRedis owner) : LineReceiver
        {
            private int _remaining;

            protected override void LineReceived(in ReadOnlySequence<byte> line)
            {
                // Commands arrive as arrays of bulk strings; count array headers and answer once per command.
                var text = Encoding.ASCII.GetString(line);
                if (text.StartsWith('*'))
                {
                    _remaining = int.Parse(text[1..], System.Globalization.CultureInfo.InvariantCulture) * 2;
                    return;
                }

                if (--_remaining == 0)
                {
                    Transport.Write(owner.Poison ? "$5\r\nhelloGARBAGE\r\n"u8 : "$5\r\nhello\r\n"u8);
                }
            }
        }
    }
}
