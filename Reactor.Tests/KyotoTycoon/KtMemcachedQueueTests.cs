using System.Net.Sockets;
using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>The memcached plugin's queue mode (<c>opts=q</c>, spec §7) on the embedded server.</summary>
public sealed class KtMemcachedQueueTests : IAsyncLifetime
{
    private readonly Reactor _reactor = new(new ReactorOptions { LoopCount = 2 });
    private KtServer _server = null!;

    public async Task InitializeAsync()
    {
        _reactor.Start();
        _server = await KtServer.StartAsync(_reactor, new KtServerOptions { Databases = ["%"], MemcachedPort = 0, MemcachedQueue = true, MemcachedQueueTimeout = TimeSpan.FromSeconds(30) });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task Messages_ComeOutInOrder_DeleteAcknowledges_AndUnacknowledgedOnesReturnOnClose()
    {
        using (var producer = await ConnectAsync())
        {
            Assert.Equal("STORED\r\n", await SayAsync(producer, "set jobs 7 0 3\r\none\r\n", "\r\n"));
            Assert.Equal("STORED\r\n", await SayAsync(producer, "set jobs 0 0 3\r\ntwo\r\n", "\r\n"));
        }

        using (var consumer = await ConnectAsync())
        {
            Assert.Equal("VALUE jobs 7 3\r\none\r\nEND\r\n", await SayAsync(consumer, "get jobs\r\n", "END\r\n"));
            Assert.Equal("VALUE jobs 0 3\r\ntwo\r\nEND\r\n", await SayAsync(consumer, "get jobs\r\n", "END\r\n"));
            Assert.Equal("DELETED\r\n", await SayAsync(consumer, "delete jobs\r\n", "\r\n"));
            Assert.Equal("NOT_FOUND\r\n", await SayAsync(consumer, "delete other\r\n", "\r\n"));
        }

        // "one" was taken but never acknowledged: closing the consumer put it back (a third set in the update log),
        // at the head of the queue.
        await SetsLoggedAsync(3);
        using var next = await ConnectAsync();
        Assert.Equal("VALUE jobs 7 3\r\none\r\nEND\r\n", await SayAsync(next, "get jobs\r\n", "END\r\n"));
    }

    [Fact]
    public async Task AGetOnAnEmptyQueue_WaitsForTheNextSet_AndCommandsBehindItWaitToo()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.QueueArrivals.Waiting += name => waiting.TrySetResult();
        using var consumer = await ConnectAsync();
        using var producer = await ConnectAsync();

        var reply = SayAsync(consumer, "get mail\r\nversion\r\n", "VERSION KyotoTycoon/0.9.56b\r\n");
        await waiting.Task.Within();
        Assert.False(reply.IsCompleted);
        Assert.Equal("STORED\r\n", await SayAsync(producer, "set mail 0 0 5\r\nhello\r\n", "\r\n"));

        Assert.Equal("VALUE mail 0 5\r\nhello\r\nEND\r\nVERSION KyotoTycoon/0.9.56b\r\n", await reply.Within());
    }

    [Fact]
    public async Task AGetThatWaitsTooLong_AnswersAnEmptyEnd()
    {
        await using var server = await KtServer.StartAsync(_reactor, new KtServerOptions { Databases = ["%"], MemcachedPort = 0, MemcachedQueue = true, MemcachedQueueTimeout = TimeSpan.FromMilliseconds(50) });
        using var consumer = new TcpClient();
        await consumer.ConnectAsync(server.MemcachedAddress!).WaitAsync(Guard.Timeout);

        Assert.Equal("END\r\n", await SayAsync(consumer, "get nothing\r\n", "END\r\n"));
    }

    [Fact]
    public async Task OnlyMessageKeys_AreTaken_NotOtherRecordsThatShareTheNamesPrefix()
    {
        await using var http = KtClient.Create(_reactor, new KtOptions { Port = _server.Address.Port });
        await http.Set(Encoding.ASCII.GetBytes("a note"), Encoding.ASCII.GetBytes("not a message")).ToTask().Within();
        using var client = await ConnectAsync();
        Assert.Equal("STORED\r\n", await SayAsync(client, "set a 0 0 1\r\ny\r\n", "\r\n"));

        Assert.Equal("VALUE a 0 1\r\ny\r\nEND\r\n", await SayAsync(client, "get a\r\n", "END\r\n"));
        Assert.NotNull(await http.Get(Encoding.ASCII.GetBytes("a note")).ToTask().Within());
    }

    [Fact]
    public async Task AClockThatStepsBack_NeitherLosesNorReordersMessages()
    {
        var clock = new TestScheduler(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        await using var server = await KtServer.StartAsync(_reactor, new KtServerOptions { Databases = ["%"], MemcachedPort = 0, MemcachedQueue = true, Clock = clock });
        using var client = new TcpClient();
        await client.ConnectAsync(server.MemcachedAddress!).WaitAsync(Guard.Timeout);

        Assert.Equal("STORED\r\n", await SayAsync(client, "set q 0 0 5\r\nfirst\r\n", "\r\n"));
        clock.StepClock(TimeSpan.FromSeconds(-1));
        Assert.Equal("STORED\r\n", await SayAsync(client, "set q 0 0 6\r\nsecond\r\n", "\r\n"));

        Assert.Equal("VALUE q 0 5\r\nfirst\r\nEND\r\n", await SayAsync(client, "get q\r\n", "END\r\n"));
        Assert.Equal("VALUE q 0 6\r\nsecond\r\nEND\r\n", await SayAsync(client, "get q\r\n", "END\r\n"));
    }

    [Fact]
    public void Stamps_StayStrictlyIncreasing_WhenTheClockRepeatsOrStepsBack_AndASequenceFills()
    {
        var stamp = new MonotonicStamp(3);

        var stamps = new[] { 100L, 100, 100, 100, 90, 200 }.Select(stamp.Next).ToList();

        Assert.Equal([(100L, 0L), (100, 1), (100, 2), (101, 0), (101, 1), (200, 0)], stamps);
    }

    [Fact]
    public async Task QueueMode_NeedsATreeDatabase()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => KtServer.StartAsync(_reactor, new KtServerOptions { Databases = ["*"], MemcachedPort = 0, MemcachedQueue = true }));
        Assert.Contains("tree database", error.Message);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_server.MemcachedAddress!).WaitAsync(Guard.Timeout);
        return client;
    }

    /// <summary>The server puts taken messages back when it sees the close, a moment after ours: wait for that in its update log.</summary>
    private async Task SetsLoggedAsync(int sets)
    {
        var seen = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var probe = KtClient.Create(_reactor, new KtOptions { Port = _server.Address.Port });
        using var feed = probe.Replicate(0, serverId: 9).Subscribe(record =>
        {
            if (record.Op == ReplicationOp.Set && Interlocked.Increment(ref seen) == sets)
            {
                done.TrySetResult();
            }
        });
        await done.Task.Within();
    }

    private static async Task<string> SayAsync(TcpClient client, string command, string until)
    {
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command));
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().EndsWith(until, StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer).AsTask().Within();
            if (n == 0)
            {
                break;
            }

            received.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return received.ToString();
    }
}
