using System.Reactive.Linq;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;
using static ReactiveKv.Tests.Redis.RedisFixture;

namespace ReactiveKv.Tests.Redis;

[Collection("redis")]
public class RedisMultiplexerTests(RedisFixture fixture)
{
    private RedisDatabase Db => fixture.Client.Db;

    [Fact]
    public async Task ManyConcurrentCallers_EachGetTheirOwnReply_InOrder()
    {
        var prefix = Key("c");
        var callers = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var pending = new List<(int, Deferred<long>)>();
            for (var i = 0; i < 2000; i++)
            {
                pending.Add((i, Db.Incr($"{prefix}:{t}")));
            }

            foreach (var (i, result) in pending)
            {
                Assert.Equal(i + 1, await result);
            }
        })).ToArray();
        await Task.WhenAll(callers).Within();

        Assert.Equal(Enumerable.Repeat("2000", 8), await Db.MGet(Enumerable.Range(0, 8).Select(t => (RedisValue)$"{prefix}:{t}").ToArray()));
    }

    [Fact]
    public async Task ManyCallersAwaitingOneCommandAtATime_FromThePool_EachGetTheirOwnReply_InOrder()
    {
        // Such callers often find the loop idle and send from their own thread; nothing may be lost or reordered.
        var prefix = Key("s");
        var callers = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                Assert.Equal(i + 1, await Db.Incr($"{prefix}:{t}"));
            }
        })).ToArray();
        await Task.WhenAll(callers).Within();

        Assert.Equal(Enumerable.Repeat("300", 8), await Db.MGet(Enumerable.Range(0, 8).Select(t => (RedisValue)$"{prefix}:{t}").ToArray()));
    }

    [Fact]
    public async Task AnsweredCommands_StopBeingTrackedForTheirDeadline_AsTheirRepliesArrive()
    {
        var key = Key("d");
        var results = Enumerable.Range(0, 5000).Select(_ => Db.Incr(key)).ToList();
        foreach (var result in results)
        {
            await result;
        }

        // Without trimming on reply, all 5000 would wait in the deadline queue until the command timeout.
        var tracked = await fixture.Client.Loop.InvokeAsync(() => fixture.Client.Multiplexer.TrackedDeadlines).Within();
        Assert.True(tracked <= 1, $"{tracked} answered commands are still tracked");
    }

    [Fact]
    public async Task ResultsAreHotAndKept_ForLateSubscribers()
    {
        var set = Db.Set(Key("k"), "v");
        await set;
        var get = Db.Get(Key("k"));
        Assert.Equal("v", await get);
        Assert.Equal("v", await get.Select(v => v));
        Assert.Equal(("v", true), await get.Zip(set, (a, b) => (a, b)));
    }

    [Fact]
    public async Task ResultsArriveOnTheConnectionsLoopThread()
    {
        await using var lease = await fixture.Client.LeaseAsync();
        var held = lease.Execute("DEBUG", "SLEEP", "0.05");

        // Subscribed while the server still sleeps, so the value is pushed by the reactor, not replayed here. AsFired
        // sees the result where the multiplexer fires it; public subscribers from off the loops get it on the pool.
        var onLoop = lease.Ping().AsFired.Select(_ => EventLoop.Current is not null).ToTask();
        Assert.False(held.Called);
        Assert.True(await onLoop.Within());
    }

    [Fact]
    public async Task ACancelledCommand_HasItsReplyConsumed_SoTheStreamStaysInStep()
    {
        await using var lease = await fixture.Client.LeaseAsync();
        var slow = lease.Execute("DEBUG", "SLEEP", "0.2");
        var cancelled = lease.Get(Key("k1"));
        var after = lease.Set(Key("k2"), "second");
        Assert.False(slow.Called);
        cancelled.Cancel();

        // GET's reply still arrives after the sleep; it must be eaten, not handed to SET.
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await cancelled);
        Assert.True(await after.ToTask().Within());
        Assert.Equal("second", await lease.Get(Key("k2")));
        await slow;
    }

    [Fact]
    public async Task APerCallTimeout_FiresAtItsTime_WithoutDisturbingOthers()
    {
        var quick = Db.WithTimeout(TimeSpan.FromMilliseconds(50));
        await using var lease = await fixture.Client.LeaseAsync();
        var blocked = lease.Execute("DEBUG", "SLEEP", "0.5");
        var timedOut = Db.WithTimeout(TimeSpan.FromMilliseconds(100)).Execute("DEBUG", "SLEEP", "0");
        var error = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await timedOut);
        Assert.True(error.MayHaveExecuted);
        Assert.Equal(TimeSpan.FromMilliseconds(100), error.Timeout);
        Assert.Equal("PONG", await Db.Ping());
        await blocked;
        Assert.Equal("PONG", await quick.Ping());
    }

    [Fact]
    public async Task CancellationTokens_CancelAwaitingCommands()
    {
        using var cts = new CancellationTokenSource();
        await using var lease = await fixture.Client.LeaseAsync();
        var sleeping = lease.Execute("DEBUG", "SLEEP", "0.3");
        var waiting = lease.Get(Key("k")).WithCancellation(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await waiting);
        await sleeping;
        Assert.Equal("PONG", await lease.Ping());
    }

    [Fact]
    public async Task Transactions_QueueAndDeliverEachResult()
    {
        var k = Key("counter");
        var tx = fixture.Client.Multi();
        var set = tx.Set(k, 10);
        var incr = tx.IncrBy(k, 5);
        var get = tx.Get(k);
        Assert.False(incr.Called);
        Assert.True(await tx.Execute());
        Assert.True(await set);
        Assert.Equal(15, await incr);
        Assert.Equal("15", await get);
    }

    [Fact]
    public async Task ATransactionWithAQueuingError_FailsAsAWhole()
    {
        var tx = fixture.Client.Multi();
        var ok = tx.Set(Key("a"), "1");
        var bad = tx.Execute("NOSUCHCOMMAND");
        var exec = tx.Execute();
        var error = await Assert.ThrowsAsync<RedisReplyException>(async () => await exec);
        Assert.Equal("EXECABORT", error.Prefix);
        await Assert.ThrowsAsync<RedisReplyException>(async () => await bad);
        await Assert.ThrowsAnyAsync<Exception>(async () => await ok);
        Assert.Null(await Db.Get(Key("a")));
    }

    [Fact]
    public async Task ARuntimeErrorInsideATransaction_FailsOnlyThatCommand()
    {
        var tx = fixture.Client.Multi();
        var set = tx.Set(Key("s"), "text");
        var incr = tx.Incr(Key("s"));
        var after = tx.Get(Key("s"));
        Assert.True(await tx.Execute());
        Assert.True(await set);
        Assert.Equal("ERR", (await Assert.ThrowsAsync<RedisReplyException>(async () => await incr)).Prefix);
        Assert.Equal("text", await after);
    }

    [Fact]
    public async Task DisposingAnUnexecutedTransaction_SendsNothing()
    {
        var tx = fixture.Client.Multi();
        var set = tx.Set(Key("never"), "x");
        tx.Dispose();
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await set);
        Assert.Null(await Db.Get(Key("never")));
    }

    [Fact]
    public async Task Watch_RetriesWhenAWatchedKeyChanges_TheJustRedisCounter()
    {
        var k = Key("counter");
        await Db.Set(k, 0);
        var attempts = 0;
        var result = await fixture.Client.WatchAsync([k], async (lease, tx) =>
        {
            attempts++;
            var current = long.Parse((await lease.Get(k))!, System.Globalization.CultureInfo.InvariantCulture);
            if (attempts == 1)
            {
                await Db.Set(k, 100);
            }

            _ = tx.Set(k, current + 1);
            return current + 1;
        }).Within();

        Assert.Equal(2, attempts);
        Assert.Equal(101, result);
        Assert.Equal("101", await Db.Get(k));
    }

    [Fact]
    public async Task Batches_WriteEverythingInOneGo()
    {
        var batch = fixture.Client.Batch();
        var results = Enumerable.Range(0, 100).Select(i => batch.RPush(Key("list"), i)).ToList();
        var bad = batch.Incr(Key("list"));
        await batch.Execute();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), results.Select(r => r.GetResult()));
        Assert.True(bad.IsFaulted);
    }

    [Fact]
    public async Task BlockingCommands_RunOnDedicatedConnections_BesideABusyMultiplexer()
    {
        var queue = Key("q");
        var popped = fixture.Client.BLPopAsync([queue], TimeSpan.Zero);
        var busy = Enumerable.Range(0, 500).Select(i => Db.Incr(Key("busy"))).ToList();
        Assert.Equal(500, await busy[^1]);
        Assert.False(popped.IsCompleted);
        await Db.RPush(queue, "job");
        Assert.Equal(new KeyValuePair<string, string>(queue, "job"), await popped.Within());

        Assert.Null(await fixture.Client.BRPopAsync([Key("empty")], TimeSpan.FromMilliseconds(100)));
        await Db.RPush(Key("src"), "x");
        Assert.Equal("x", await fixture.Client.BRPopLPushAsync(Key("src"), Key("dst"), TimeSpan.FromSeconds(1)));
        Assert.Equal("x", await fixture.Client.BLMoveAsync(Key("dst"), Key("src"), ListEnd.Left, ListEnd.Left, TimeSpan.FromSeconds(1)));
        await Db.ZAdd(Key("z"), "m", 2);
        Assert.Equal(new KeyedSortedSetEntry(Key("z"), new SortedSetEntry("m", 2)), await fixture.Client.BZPopMinAsync([Key("z")], TimeSpan.FromSeconds(1)));
        Assert.Null(await fixture.Client.BZPopMaxAsync([Key("z")], TimeSpan.FromMilliseconds(50)));
        Assert.Equal(0, await fixture.Client.WaitAsync(0, TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public async Task XReadBlocking_WakesOnANewEntry()
    {
        var stream = Key("stream");
        var last = await Db.XAdd(stream, [new("n", "0")]);
        var waiting = fixture.Client.XReadBlockingAsync([new(stream, last!)], TimeSpan.FromSeconds(10));
        var id = await Db.XAdd(stream, [new("n", "1")]);
        var read = await waiting.Within();
        Assert.Equal(id, read[stream].Single().Id);
    }

    [Fact]
    public async Task XReadGroupStream_IsHot_AndDeliversNewEntries()
    {
        var stream = Key("jobs");
        await Db.XGroupCreate(stream, "workers", "$", createStream: true);
        var received = new List<StreamEntry>();
        var three = new TaskCompletionSource();
        using (fixture.Client.XReadGroupStream(stream, "workers", "w1", block: TimeSpan.FromMilliseconds(100)).Subscribe(e =>
        {
            lock (received)
            {
                received.Add(e);
                if (received.Count == 3)
                {
                    three.TrySetResult();
                }
            }
        }))
        {
            for (var i = 0; i < 3; i++)
            {
                await Db.XAdd(stream, [new("job", i)]);
            }

            await three.Task.Within();
        }

        Assert.Equal(["0", "1", "2"], received.Select(e => e["job"]!));
        Assert.Equal(3, await Db.XAck(stream, "workers", received.Select(e => (RedisValue)e.Id).ToArray()));
    }
}
