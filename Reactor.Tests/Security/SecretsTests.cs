using System.Buffers;
using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;
using ReactiveKv.Redis;
using ReactiveKv.Redis.Testing;
using ReactiveKv.Tests.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Security;

/// <summary>
/// Secrets (Redis passwords and ACL users' passwords, sentinel passwords, AMQP credentials) never appear in an
/// options type's ToString, in URL parse errors, in the errors of a refused login, in the kv command's error output,
/// or in anything the reactor logs while those happen.
/// </summary>
public sealed class SecretsTests
{
    private const string Secret = "s3cr3t-pa55";

    [Fact]
    public void OptionsToString_ShowsNoSecret()
    {
        var redis = new RedisOptions { User = "alice", Password = Secret, SentinelPassword = Secret + "-sentinel", Sentinels = [("127.0.0.1", 26379)], SentinelServiceName = "mymaster" };
        var fromUrl = RedisOptions.Parse($"redis://alice:{Secret}@127.0.0.1:6379/2");
        var passwordOnly = RedisOptions.Parse($"redis://{Secret}@127.0.0.1:6379");
        var sentinel = RedisOptions.Parse($"redis+sentinel://alice:{Secret}@127.0.0.1:26379/mymaster?sentinel_password={Secret}");
        var amqp = AmqpOptions.Parse($"amqp://bob:{Secret}@127.0.0.1:5672/%2f");

        foreach (var text in new object[] { redis, fromUrl, passwordOnly, sentinel, amqp, new AmqpOptions { Password = Secret }, ServiceUrl.Parse($"redis://alice:{Secret}@h:1", "Redis", 6379) }.Select(o => o.ToString()!))
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }

        // The redaction keeps the rest readable, and says a password is set.
        Assert.Contains("Password = ***", redis.ToString(), StringComparison.Ordinal);
        Assert.Contains("SentinelPassword = ***", redis.ToString(), StringComparison.Ordinal);
        Assert.Contains("User = alice", redis.ToString(), StringComparison.Ordinal);
        Assert.Contains("Password = ,", new RedisOptions().ToString(), StringComparison.Ordinal);

        // The options still carry the secrets themselves: only their display is redacted.
        Assert.Equal(Secret, fromUrl.Password);
        Assert.Equal(Secret, passwordOnly.Password);
        Assert.Equal(Secret, sentinel.SentinelPassword);
        Assert.Equal(Secret, amqp.Password);
    }

    [Theory]
    [InlineData("redis://alice:{0}@127.0.0.1:notaport")]
    [InlineData("redis://alice:{0}@127.0.0.1:6379/notadb")]
    [InlineData("redis://{0}@127.0.0.1:6379/notadb")]
    [InlineData("redis://alice:{0}@127.0.0.1:6379?protocol=4")]
    [InlineData("redis://alice:{0}@127.0.0.1:6379?timeout=-1")]
    [InlineData("redis://alice:{0}@127.0.0.1:6379?read_from_replicas=maybe")]
    [InlineData("redis://alice:{0}@127.0.0.1:6379?connect_timeout=x")]
    [InlineData("redis://alice:{0}@[::1:6379")]
    [InlineData("redis://alice:{0}@,127.0.0.1:6379")]
    [InlineData("memcache://alice:{0}@127.0.0.1:6379")]
    [InlineData("alice:{0}@127.0.0.1:6379")]
    [InlineData("redis+sentinel://alice:{0}@127.0.0.1:26379")]
    [InlineData("redis+sentinel://127.0.0.1:26379/mymaster/x?sentinel_password={0}")]
    [InlineData("redis+sentinel://127.0.0.1:bad/mymaster?sentinel_password={0}")]
    public void RedisUrlParseErrors_ShowNoSecret(string template)
    {
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Secret);

        var error = Assert.Throws<FormatException>(() => RedisOptions.Parse(url));

        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amqp://bob:{0}@127.0.0.1:notaport/%2f")]
    [InlineData("amqp://bob:{0}@127.0.0.1:5672/%2f?heartbeat=soon")]
    [InlineData("amqp://bob:{0}@127.0.0.1:5672/%2f?color=blue")]
    [InlineData("amqp://bob:{0}@a:1,b:2/%2f")]
    [InlineData("amqps://bob:{0}@127.0.0.1:99999/%2f")]
    [InlineData("http://bob:{0}@127.0.0.1:5672/")]
    public void AmqpUrlParseErrors_ShowNoSecret(string template)
    {
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Secret);

        var error = Assert.Throws<FormatException>(() => AmqpOptions.Parse(url));

        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("bob:***@", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherBackendsUrlParseErrors_ShowNoSecret()
    {
        // KT, Keyspace and Pegasus take no credentials, but a URL written with some must not show them either.
        Exception[] errors =
        [
            Assert.Throws<FormatException>(() => KtOptions.Parse($"kt://u:{Secret}@127.0.0.1:notaport/db")),
            Assert.Throws<FormatException>(() => KeyspaceOptions.Parse($"keyspace://u:{Secret}@127.0.0.1")),
            Assert.Throws<FormatException>(() => PegasusOptions.Parse($"pegasus://u:{Secret}@127.0.0.1:x/t")),
            Assert.Throws<FormatException>(() => ServiceUrl.Parse($"tcp://u:{Secret}@host", "TCP", 0, "tcp")),
        ];

        Assert.All(errors, e => Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tls:8443:certificate=/nonexistent/server.p12:password={0}")]
    [InlineData("tls:8443:certificate=server.p12:password={0}:color=blue")]
    [InlineData("tls:8443:certificate=server.p12:password={0}:password=again")]
    [InlineData("tls:notaport:certificate=server.p12:password=a\\:{0}")]
    public void TlsEndpointStringErrors_ShowNoCertificatePassword(string template)
    {
        using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Secret);

        var error = Assert.Throws<EndpointSyntaxException>(() => Endpoints.ServerFromString(reactor, text));

        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("password=***", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://alice:p@ss:w/rd@host:1/0?sentinel_password=x&name=n", "redis://alice:***@host:1/0?sentinel_password=***&name=n")]
    [InlineData("redis://onlypassword@host", "redis://***@host")]
    [InlineData("redis://host:6379/0", "redis://host:6379/0")]
    [InlineData("u:pw@host", "u:***@host")]
    [InlineData("amqp://bob@host/%2f?token=abc", "amqp://***@host/%2f?token=***")]
    public void Redact_HidesPasswordsAndPasswordLikeQueryValues_AndNothingElse(string url, string redacted) =>
        Assert.Equal(redacted, ServiceUrl.Redact(url));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARedisLoginRefused_ShowsNoSecret_InTheErrorChainOrTheLogs(bool resp3)
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2, LoggerFactory = loggerFactory });
        var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new RefusingRedis()));
        try
        {
            var options = RedisOptions.Parse($"redis://alice:{Secret}@127.0.0.1:{port.Port}?protocol={(resp3 ? 3 : 2)}&connect_timeout=5");

            var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisClient.ConnectAsync(fixture.Reactor, options).Within());

            Assert.Contains("WRONGPASS", error.ToString(), StringComparison.Ordinal);
            AssertNoSecret(error);
        }
        finally
        {
            await port.StopListening().ToTask();
        }

        Assert.All(logs.Lines, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASentinelLoginRefused_ShowsNoSecret_InTheErrorChainOrTheLogs()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2, LoggerFactory = loggerFactory });
        var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new RefusingRedis()));
        try
        {
            var options = RedisOptions.Parse($"redis+sentinel://alice:{Secret}@127.0.0.1:{port.Port}/mymaster?sentinel_password={Secret}-sentinel&connect_timeout=5");

            var error = await Assert.ThrowsAnyAsync<Exception>(() => RedisClient.ConnectAsync(fixture.Reactor, options).Within());

            Assert.IsNotType<TimeoutException>(error);
            Assert.Contains("WRONGPASS", error.ToString(), StringComparison.Ordinal);
            AssertNoSecret(error);
        }
        finally
        {
            await port.StopListening().ToTask();
        }

        Assert.All(logs.Lines, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAmqpLoginRefused_ShowsNoSecret_InTheErrorChainOrTheLogs()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2, LoggerFactory = loggerFactory });
        var broker = new FakeAmqpBroker(fixture.Reactor);
        await using (broker)
        {
            var sawCredentials = false;
            broker.OnConnectionMethod = (session, method) =>
            {
                if (method is not ConnectionStartOk startOk)
                {
                    return false;
                }

                // What RabbitMQ answers a wrong password with: connection.close 403 during the handshake.
                sawCredentials = Encoding.UTF8.GetString(startOk.Response).Contains(Secret, StringComparison.Ordinal);
                session.SendNow(0, new ConnectionClose { ReplyCode = 403, ReplyText = "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.", FailingClassId = 10, FailingMethodId = 11 });
                return true;
            };
            var options = broker.Options() with { UserName = "bob", Password = Secret };

            var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => AmqpConnection.ConnectAsync(fixture.Reactor, options).Within());

            Assert.True(sawCredentials, "the broker was sent the password (the login itself must still carry it)");
            Assert.Equal(403, error.ReplyCode);
            AssertNoSecret(error);
        }

        Assert.All(logs.Lines, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheKvCommand_ShowsNoSecret_InItsErrorOutput()
    {
        await using var fixture = new ReactorFixture();
        var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new RefusingRedis()));
        try
        {
            string[][] runs =
            [
                ["kv", $"redis://alice:{Secret}@127.0.0.1:notaport", "GET", "k"],
                ["kv", $"redis://alice:{Secret}@127.0.0.1:{port.Port}/x", "GET", "k"],
                ["kv", $"redis://alice:{Secret}@127.0.0.1:{port.Port}", "GET", "k"],
                ["kv", $"amqp://bob:{Secret}@127.0.0.1:5672/%2f?nope=1", "get", "q"],
                ["kv", $"tcp://bob:{Secret}@127.0.0.1", "get", "k"],
                ["kv", $"bob:{Secret}@127.0.0.1:1", "get", "k"],
            ];
            foreach (var args in runs)
            {
                var (stdout, stderr) = (new StringWriter(), new StringWriter());
                var code = await Cli.RunAsync(args, stdout, stderr).Within();

                Assert.NotEqual(0, code);
                Assert.NotEmpty(stderr.ToString());
                Assert.DoesNotContain(Secret, stderr.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain(Secret, stdout.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            await port.StopListening().ToTask();
        }
    }

    [Fact]
    public async Task ARedisConnectionLostAndRegained_ShowsNoSecret_InItsLogsOrConnectionEvents()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var server = await RedisServerProcess.StartAsync(["--requirepass", Secret]);
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2, LoggerFactory = loggerFactory });
        await using var client = await RedisClient.ConnectAsync(fixture.Reactor, $"redis://default:{Secret}@127.0.0.1:{server.Port}?connect_timeout=5").Within();
        var events = new ConcurrentQueue<ClientConnectionEvent>();

        // One subscription records and signals, so what the test reads is never behind what it awaited.
        var resubscribed = new TaskCompletionSource<ClientConnectionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var recording = client.ConnectionEvents.Subscribe(e =>
        {
            events.Enqueue(e);
            if (e.Kind == ClientConnectionEventKind.Resubscribed)
            {
                resubscribed.TrySetResult(e);
            }
        });
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = client.Subscribe("news").Subscribe(m =>
        {
            if (m.Kind == ReactiveKv.Redis.RedisMessageKind.Subscribed)
            {
                subscribed.TrySetResult();
            }
        });
        await subscribed.Task.Within();

        // The server dies and comes back: the subscriber reconnects by itself, the shared connection on the next command.
        await server.RestartAsync().Within();
        var again = await resubscribed.Task.Within();
        Assert.True(await client.Db.Set("k", "v").ToTask().Within());
        Assert.Equal("v", await client.Db.Get("k").ToTask().Within());

        Assert.Equal("1 subscription(s)", again.Detail);
        Assert.Contains(events, e => e.Kind == ClientConnectionEventKind.Disconnected);
        Assert.Contains(events, e => e.Kind == ClientConnectionEventKind.Reconnected);
        Assert.All(events, e => Assert.DoesNotContain(Secret, $"{e} {e.Reason}", StringComparison.Ordinal));
        var ids = logs.Entries.Select(e => e.EventId.Id).ToHashSet();
        Assert.Superset(new HashSet<int> { ClientEventIds.Connected, ClientEventIds.Disconnected, ClientEventIds.Reconnected, ClientEventIds.Resubscribed }, ids);
        Assert.All(logs.Lines, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAmqpConnectionLost_ShowsNoSecret_InItsLogsOrConnectionEvents()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 2, LoggerFactory = loggerFactory });
        var broker = new FakeAmqpBroker(fixture.Reactor);
        await using (broker)
        {
            await using var connection = await AmqpConnection.ConnectAsync(fixture.Reactor, broker.Options() with { UserName = "bob", Password = Secret }).Within();
            var events = new ConcurrentQueue<ClientConnectionEvent>();

            // Recorded and awaited through one subscription: two would be called back independently, so the awaited
            // one could run before the recording had the events ahead of it.
            var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var recording = connection.ConnectionEvents.Subscribe(e =>
            {
                events.Enqueue(e);
                if (e.Kind == ClientConnectionEventKind.Recovered)
                {
                    recovered.TrySetResult();
                }
            });
            var session = await broker.NextOpenedAsync();

            await session.CloseConnection(320, "CONNECTION_FORCED - broker restart");
            await recovered.Task.Within();

            Assert.Contains(events, e => e.Kind == ClientConnectionEventKind.Disconnected);
            Assert.Contains(events, e => e.Kind == ClientConnectionEventKind.Reconnected);
            Assert.All(events, e => Assert.DoesNotContain(Secret, $"{e} {e.Reason}", StringComparison.Ordinal));
        }

        Assert.Contains(logs.Entries, e => e.EventId.Id == ClientEventIds.Recovered);
        Assert.All(logs.Lines, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    /// <summary>Every message and ToString in the chain (ToString includes inner exceptions and stack traces).</summary>
    private static void AssertNoSecret(Exception error)
    {
        for (var e = (Exception?)error; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>A Redis server that answers every command as Redis answers a wrong password.</summary>
    private sealed class RefusingRedis : LineReceiver
    {
        private int _remaining;

        protected override void LineReceived(in ReadOnlySequence<byte> line)
        {
            // Commands arrive as arrays of bulk strings: an array header, then a length line and a data line per argument.
            var text = Encoding.UTF8.GetString(line);
            if (_remaining == 0 && text.StartsWith('*'))
            {
                _remaining = int.Parse(text[1..], System.Globalization.CultureInfo.InvariantCulture) * 2;
                return;
            }

            if (--_remaining == 0)
            {
                Transport.Write("-WRONGPASS invalid username-password pair or user is disabled.\r\n"u8);
            }
        }
    }
}
