using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Redis.RedisFixture;

namespace ReactiveKv.Tests.Redis;

/// <summary>MONITOR against a real redis-server: lines parsed, one shared connection, closed with the last subscriber, back after a loss.</summary>
[Collection("redis")]
public class RedisMonitorTests(RedisFixture fixture)
{
    [Fact]
    public async Task CommandsOfAnotherClient_AndOfAScript_AreSeenParsed_OnOneSharedConnection_ClosedWithTheLastSubscriber()
    {
        await using var watcher = await RedisClient.ConnectAsync(fixture.Reactor, RedisOptions.Parse(fixture.Server.Url) with { ClientName = "monitor-shared" });
        var stream = watcher.Monitor();
        using (var first = new Lines(stream))
        using (var second = new Lines(stream))
        {
            await Until(async () => (await MonitorIds("monitor-shared")).Count == 1);

            var key = Key("k");
            var value = "say \"hi\"\n\t€ \\ done";
            await fixture.Client.Db.Set(key, value);
            await fixture.Client.Db.Execute("EVAL", "return redis.call('set', KEYS[1], 'from lua')", 1, key + ":lua");

            var set = await first.When(l => l.Command == "SET" && l.Arguments[0] == key).Within();
            Assert.Equal([key, value], set.Arguments);
            Assert.Equal(0, set.Database);
            Assert.Matches(@"^127\.0\.0\.1:\d+$", set.Client);
            Assert.InRange(set.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));

            var script = await first.When(l => l.Client == "lua").Within();
            Assert.Equal(("set", key + ":lua", "from lua"), (script.Command, script.Arguments[0], script.Arguments[1]));
            Assert.Equal(set, await second.When(l => l.Command == "SET" && l.Arguments[0] == key).Within());
        }

        await Until(async () => (await MonitorIds("monitor-shared")).Count == 0);
    }

    [Fact]
    public async Task AfterTheMonitorConnectionIsKilled_ItReconnects_AndMonitorsAgain()
    {
        await using var watcher = await RedisClient.ConnectAsync(fixture.Reactor, RedisOptions.Parse(fixture.Server.Url) with
        {
            ClientName = "monitor-killed",
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100) },
        });
        using var lines = new Lines(watcher.Monitor());
        await Until(async () => (await MonitorIds("monitor-killed")).Count == 1);
        var before = (await MonitorIds("monitor-killed")).Single();

        await fixture.Client.Db.Execute("CLIENT", "KILL", "ID", before);
        await Until(async () => await MonitorIds("monitor-killed") is [var id] && id != before);

        var key = Key("k");
        await fixture.Client.Db.Set(key, "after");
        var seen = await lines.When(l => l.Command == "SET" && l.Arguments[0] == key).Within();
        Assert.Equal("after", seen.Arguments[1]);
    }

    /// <summary>Ids of the connections in MONITOR mode (flag O) named <paramref name="name"/> (each test names its own: another's may still be closing).</summary>
    private async Task<List<long>> MonitorIds(string name)
    {
        var list = (await fixture.Client.Db.Execute("CLIENT", "LIST")).Text ?? "";
        return [.. list.Split('\n')
            .Where(l => l.Contains(" flags=O ", StringComparison.Ordinal) && l.Contains($" name={name} ", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ')[0]["id=".Length..], System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        // The server takes MONITOR and our disposal asynchronously; poll it, bounded, instead of sleeping.
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < Guard.Timeout)
        {
            if (await condition())
            {
                return;
            }

            await Task.Yield();
        }

        throw new TimeoutException("The server never reached the expected state.");
    }

    /// <summary>Collects lines from any thread; <see cref="When"/> completes with the first that matches, seen or to come.</summary>
    private sealed class Lines : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<RedisMonitorLine> _seen = [];
        private readonly List<(Func<RedisMonitorLine, bool> Match, TaskCompletionSource<RedisMonitorLine> Signal)> _waiters = [];
        private readonly IDisposable _subscription;

        public Lines(IObservable<RedisMonitorLine> stream) => _subscription = stream.Subscribe(OnLine);

        public Task<RedisMonitorLine> When(Func<RedisMonitorLine, bool> match)
        {
            lock (_gate)
            {
                if (_seen.FirstOrDefault(match) is { } line)
                {
                    return Task.FromResult(line);
                }

                var signal = new TaskCompletionSource<RedisMonitorLine>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((match, signal));
                return signal.Task;
            }
        }

        public void Dispose() => _subscription.Dispose();

        private void OnLine(RedisMonitorLine line)
        {
            lock (_gate)
            {
                _seen.Add(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Signal.TrySetResult(line);
                }
            }
        }
    }
}
