using System.Reactive.Linq;
using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>Replication: the spec's worked message, and a slave against the embedded server's update log.</summary>
public sealed class KtReplicationTests() : KtServerTest(2)
{
    protected override KtServerOptions ServerOptions => new() { Databases = ["*", "%"], ServerId = 1, ReplicationKeepAlive = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public void TheSpecsSeenMessage_DecodesAndEncodesByteForByte()
    {
        var message = Convert.FromHexString("00010000a1060b7265706c3a6b00773594007265706c2d76");

        var record = ReplicationCodec.Decode(0x18ea536e4930b200, message)!;

        Assert.Equal((1, 0, ReplicationOp.Set, "repl:k", "repl-v"), (record.ServerId, record.Database, record.Op, Encoding.ASCII.GetString(record.Key), Encoding.ASCII.GetString(record.Value)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(2_000_000_000), record.ExpiresAt);
        var again = ReplicationCodec.Message(1, 0, ReplicationOp.Set, "repl:k"u8.ToArray(), ReplicationCodec.StoredValue("repl-v"u8.ToArray(), 2_000_000_000));
        Assert.Equal(Convert.ToHexString(message), Convert.ToHexString(again));
    }

    [Theory]
    [InlineData(0x7FUL, "7F")]
    [InlineData(300UL, "822C")]
    [InlineData(0UL, "00")]
    public void Varnums_AreBigEndianBase128(ulong value, string hex)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        ReplicationCodec.WriteVarnum(output, value);
        Assert.Equal(hex, Convert.ToHexString(output.WrittenSpan));
        ReadOnlySpan<byte> input = output.WrittenSpan;
        Assert.Equal(value, ReplicationCodec.ReadVarnum(ref input));
    }

    [Fact]
    public async Task ASlave_SeesEverySetRemoveAndClear_InOrder()
    {
        var seen = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var feed = Client.Replicate(0, serverId: 2).Subscribe(r =>
        {
            lock (seen)
            {
                seen.Add($"{r.Op}:{r.Database}:{Encoding.ASCII.GetString(r.Key)}:{Encoding.ASCII.GetString(r.Value)}");
                if (r.Op == ReplicationOp.Clear)
                {
                    done.TrySetResult();
                }
            }
        });

        await Client.Set(B("a"), B("1")).ToTask().Within();
        await Client.Set(B("b"), B("2"), KtExpiry.In(TimeSpan.FromHours(1))).ToTask().Within();
        await Client.Remove(B("a")).ToTask().Within();
        await Client.SetBulkBinary([new(B("c"), B("3"))], db: 1).ToTask().Within();
        await Client.Clear().ToTask().Within();
        await done.Task.Within();

        lock (seen)
        {
            Assert.Equal(["Set:0:a:1", "Set:0:b:2", "Remove:0:a:", "Set:1:c:3", "Clear:0::"], seen);
        }
    }

    [Fact]
    public async Task ADroppedConnection_IsResumedFromTheLastTimestamp_WithoutLossOrRepeats()
    {
        var keys = new List<string>();
        var firstFive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var feed = Client.Replicate(0, serverId: 9).Subscribe(r =>
        {
            lock (keys)
            {
                keys.Add(Encoding.ASCII.GetString(r.Key));
                if (keys.Count == 5)
                {
                    firstFive.TrySetResult();
                }

                if (keys.Count == 10)
                {
                    all.TrySetResult();
                }
            }
        });

        for (var i = 0; i < 5; i++)
        {
            await Client.Set(B($"k{i}"), B("v")).ToTask().Within();
        }

        await firstFive.Task.Within();
        Server.CloseReplicationSessions();
        for (var i = 5; i < 10; i++)
        {
            await Client.Set(B($"k{i}"), B("v")).ToTask().Within();
        }

        await all.Task.Within();
        lock (keys)
        {
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"k{i}"), keys);
        }
    }

    [Fact]
    public async Task TheSlave_AnswersKeepAlives_AndItsOwnRecordsAreFilteredOut()
    {
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.ReplicationAcknowledged += () => acknowledged.TrySetResult();
        var ownRecords = 0;
        using var feed = Client.Replicate(0, serverId: 1).Subscribe(_ => Interlocked.Increment(ref ownRecords));

        await Client.Set(B("mine"), B("v")).ToTask().Within();
        await acknowledged.Task.Within();

        Assert.True(Server.ReplicationAcks >= 1);
        Assert.Equal(0, Volatile.Read(ref ownRecords));
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task ABacklogLargerThanTheServersWriteLimit_ReachesASlave_PacedByTheConnectionsBuffer()
    {
        // The master's connections may hold 256 KiB unsent; the backlog is 2,000 records of 1 KiB.
        await using var reactor = new Reactor(new ReactorOptions
        {
            LoopCount = 1,
            Transport = new TransportOptions { WriteHighWatermark = 64 << 10, WriteLowWatermark = 16 << 10, MaxPendingWriteBytes = 256 << 10 },
        });
        reactor.Start();
        await using var server = await KtServer.StartAsync(reactor);
        await using var client = KtClient.Create(reactor, new KtOptions { Port = server.Address.Port });
        var value = new byte[1024];
        for (var batch = 0; batch < 20; batch++)
        {
            var records = Enumerable.Range(0, 100).Select(i => KeyValuePair.Create(Encoding.ASCII.GetBytes($"k{batch:D2}-{i:D3}"), value));
            await client.SetBulkBinary(records).ToTask().Within();
        }

        var received = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var feed = client.Replicate(0, serverId: 9).Subscribe(record =>
        {
            if (Interlocked.Increment(ref received) == 2000)
            {
                all.TrySetResult();
            }
        });

        await all.Task.Within();
        Assert.Equal(2000, received);
    }
}
