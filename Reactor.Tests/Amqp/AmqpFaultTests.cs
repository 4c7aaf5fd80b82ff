using System.Buffers.Binary;
using System.Diagnostics;
using System.Reactive.Linq;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>
/// The client against a <see cref="FakeAmqpBroker"/> that misbehaves: malformed and oversized frames, silence,
/// stopped heartbeats, connection and channel closes, blocking. Each fault fails with its typed error, buffers
/// nothing it was not asked to, and the connection recovers (reconnects and works) afterwards.
/// They run alone (their collection is not parallel): the memory checks read the process's allocation counter, and
/// the heartbeat timings are real time.
/// </summary>
[Collection(AmqpFaultCollection.Name)]
public sealed class AmqpFaultTests : IAsyncLifetime
{
    private readonly ReactorFixture _reactor = new();
    private FakeAmqpBroker _broker = null!;

    public Task InitializeAsync()
    {
        _broker = new FakeAmqpBroker(_reactor.Reactor);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    public static TheoryData<string> MalformedReplies => ["bad-frame-end", "unknown-frame-type", "truncated-headers-table", "content-without-method"];

    [Theory]
    [MemberData(nameof(MalformedReplies))]
    public async Task AMalformedFrame_FailsTheConnectionWithAFrameError_ThenItReconnectsAndWorks(string fault)
    {
        _broker.OnMethod = (session, channel, method) =>
        {
            if (method is not QueueDeclare { Queue: "poison" })
            {
                return false;
            }

            session.Write(Malformed(fault, channel));
            return true;
        };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("before").ToTask().Within();

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => channel.QueueDeclare("poison").ToTask().Within());

        Assert.IsAssignableFrom<AmqpFrameException>(error.InnerException);
        Assert.True(error.MayHaveExecuted);
        await _broker.Sessions[0].Lost.Task.Within();
        Assert.Equal("after", (await channel.QueueDeclare("after").ToTask().Within()).Name);
        Assert.Equal(2, _broker.Sessions.Count);
    }

    [Fact]
    public async Task AConnectionStartWithATruncatedTable_FailsTheConnect_ThenAWellFormedOneSucceeds()
    {
        // Only the first connection gets the bad frame: the client reconnects on its own, and may do so before the
        // test could change the script back.
        var served = 0;
        _broker.StartFrame = () =>
        {
            if (Interlocked.Increment(ref served) > 1)
            {
                return null;
            }

            var frame = FakeAmqpBroker.MethodFrame(0, new ConnectionStart { VersionMajor = 0, VersionMinor = 9, ServerProperties = new FieldTable { ["product"] = "x" }, Mechanisms = "PLAIN", Locales = "en_US" });
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(7 + 6), 100_000); // the server-properties table claims far more than the frame holds
            return frame;
        };
        // ConnectAsync fails with the first attempt's error (a connection made earlier could have retried already).
        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within());

        Assert.IsAssignableFrom<AmqpFrameException>(error.InnerException);
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        Assert.Equal("FakeAmqpBroker", connection.ServerProperties?["product"]);
        Assert.Equal("ok", (await connection.CreateChannel().QueueDeclare("ok").ToTask().Within()).Name);
    }

    [Fact]
    public async Task ABrokerAnsweringWithItsOwnProtocolHeader_FailsTheConnectWithAVersionMismatch()
    {
        var served = 0;
        _broker.StartFrame = () => Interlocked.Increment(ref served) == 1 ? "AMQP\0\0\x09\x00"u8.ToArray() : null;
        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within());

        Assert.IsType<AmqpVersionMismatchException>(error.InnerException);
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        Assert.True(connection.IsConnected);
    }

    [Theory]
    [InlineData(530, "NOT_ALLOWED - vhost / not found")]
    [InlineData(403, "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN")]
    public async Task ConnectionCloseDuringTheHandshake_FailsTheConnectWithTheReplyCode(ushort code, string text)
    {
        _broker.OnConnectionMethod = (session, method) =>
        {
            if (method is not ConnectionOpen)
            {
                return false;
            }

            session.SendNow(0, new ConnectionClose { ReplyCode = code, ReplyText = text, FailingClassId = 10, FailingMethodId = 40 });
            return true;
        };

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within());

        Assert.Equal(code, error.ReplyCode);
        var closed = Assert.IsType<AmqpBrokerClosedException>(error.InnerException);
        Assert.Equal(text, closed.ReplyText);
        Assert.Equal(10, closed.ClassId);
        Assert.Equal(40, closed.MethodId);
    }

    [Theory]
    [InlineData(131_065u)] // one byte of payload more than frame_max 131072 allows
    [InlineData(1u << 30)]
    public async Task AFrameAnnouncingMoreThanFrameMax_FailsAtOnce_WithFrameTooLarge_AndBuffersNothing(uint size)
    {
        _broker.FrameMax = 131_072;
        _broker.OnMethod = (session, channel, method) =>
        {
            if (method is not QueueDeclare { Queue: "huge" })
            {
                return false;
            }

            session.Write(FakeAmqpBroker.FrameHeader(1, channel, size)); // the header only: the payload never comes
            return true;
        };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("warm-up").ToTask().Within();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => channel.QueueDeclare("huge").ToTask().Within());

        // The error comes from the 7-byte header alone (the 1 GiB never arrives, so nothing waited for it), and
        // nothing near the announced size was allocated.
        var tooLarge = Assert.IsType<FrameTooLargeException>(error.InnerException);
        Assert.Contains($"announces {size} bytes", tooLarge.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocated < 256 << 20, "allocated as if buffering the frame");
        Assert.Equal("after", (await channel.QueueDeclare("after").ToTask().Within()).Name);
    }

    [Fact]
    public async Task TheBrokersLowerFrameMaxAndChannelMax_Win_AndBodiesAreSplitToFit()
    {
        _broker.FrameMax = 8192;
        _broker.ChannelMax = 3;
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        var session = await _broker.NextOpenedAsync();
        var tuneOk = Assert.IsType<ConnectionTuneOk>(session.Received.Single(r => r.Method is ConnectionTuneOk).Method);
        Assert.Equal(8192u, tuneOk.FrameMax);
        Assert.Equal(3, tuneOk.ChannelMax);
        var body = new byte[100_000];
        new Random(7).NextBytes(body);
        var channel = connection.CreateChannel(confirms: true);

        // The fake decodes with frame_max 8192 too: a body frame above it would fail the connection.
        await channel.Publish("", "split", body).ToTask().Within();
        var got = await channel.Get("split").ToTask().Within();

        Assert.True(body.AsSpan().SequenceEqual(got!.Body.Span));
        Assert.Single(_broker.Sessions);
        connection.CreateChannel(); // channel 3 (1 is the connection's own, 2 is above)
        Assert.Throws<InvalidOperationException>(() => connection.CreateChannel());
    }

    [Fact]
    public async Task WithFrameMaxNegotiatedAsZero_AFrameAnnouncingMoreThanMaxBodySize_FailsAtOnce_NamingIt()
    {
        // Both sides say frame_max 0 ("no limit"): MaxBodySize still bounds what one frame may make the client buffer.
        _broker.FrameMax = 0;
        _broker.OnMethod = (session, channel, method) =>
        {
            if (method is not QueueDeclare { Queue: "huge" })
            {
                return false;
            }

            session.Write(FakeAmqpBroker.FrameHeader(1, channel, uint.MaxValue - 8)); // the header only: the payload never comes
            return true;
        };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options() with { FrameMax = 0, MaxBodySize = 1 << 20 }).Within();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("warm-up").ToTask().Within();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => channel.QueueDeclare("huge").ToTask().Within());

        var tooLarge = Assert.IsType<FrameTooLargeException>(error.InnerException);
        Assert.Contains("AmqpOptions.MaxBodySize", tooLarge.Message);
        Assert.Contains("raise AmqpOptions.MaxBodySize", tooLarge.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocated < 256 << 20, "allocated as if buffering the frame");
    }

    [Theory]
    [InlineData(1UL << 30)]
    [InlineData((ulong)long.MaxValue)] // 2^63-1: the 64-bit body-size field at its signed maximum
    [InlineData(ulong.MaxValue)]
    public async Task AContentHeaderAnnouncingABodyAboveMaxBodySize_FailsAtOnce_WithoutAllocatingIt(ulong bodySize)
    {
        _broker.OnMethod = (session, channel, method) =>
        {
            if (method is not BasicGet { Queue: "big" })
            {
                return false;
            }

            var output = new System.Buffers.ArrayBufferWriter<byte>();
            AmqpFrameWriter.WriteMethod(output, channel, new BasicGetOk { DeliveryTag = 1, RoutingKey = "big" });
            AmqpFrameWriter.WriteContentHeader(output, channel, bodySize, new BasicProperties { ContentType = "application/octet-stream" });
            session.Write(output.WrittenSpan);
            return true;
        };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options() with { MaxBodySize = 1 << 20 }).Within();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("big").ToTask().Within();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => channel.Get("big").ToTask().Within());

        var frame = Assert.IsType<AmqpFrameException>(error.InnerException);
        Assert.Contains("raise AmqpOptions.MaxBodySize", frame.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocated < 256 << 20, "allocated the announced body");
        _broker.OnMethod = null;
        Assert.Null(await channel.Get("big").ToTask().Within());
    }

    [Fact]
    public async Task ASilentBroker_FailsTheHandshakeWithinConnectTimeout()
    {
        _broker.Silent = true;
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() =>
            AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options() with { ConnectTimeout = TimeSpan.FromMilliseconds(500) }).Within());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("500 ms", error.Message + error.InnerException?.Message);
        Assert.NotEmpty(_broker.Sessions);
    }

    [Fact]
    public async Task ABrokerThatStopsSendingHeartbeats_FailsTheConnectionWithinTwoIntervals_ThenItReconnects()
    {
        _broker.Heartbeat = 1;
        _broker.OnMethod = (_, _, method) => method is QueueDeclare { Queue: "never-answered" };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options(heartbeat: TimeSpan.FromSeconds(1))).Within();
        var session = await _broker.NextOpenedAsync();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("alive").ToTask().Within();
        Guard.Until(() => session.HeartbeatsReceived >= 2, "the client sends heartbeats every half interval");
        var waiting = channel.QueueDeclare("never-answered").ToTask();

        await session.GoSilent();
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => waiting.Within());

        var heartbeat = Assert.IsType<AmqpHeartbeatException>(error.InnerException);
        Assert.Equal(TimeSpan.FromSeconds(1), heartbeat.Interval);
        // Two intervals of silence from the last frame received, checked every half interval, on the loop's clock; the
        // wall-clock bound is only a guard (the virtual-time test pins the exact moment).
        Assert.InRange(heartbeat.Silence, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3.5));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
        await _broker.NextOpenedAsync();
        Assert.Equal("back", (await channel.QueueDeclare("back").ToTask().Within()).Name);
    }

    [Fact]
    public async Task Confirms_OutOfOrderAndMultiple_SettleExactlyThePublishesTheyCover()
    {
        var published = 0;
        _broker.OnMethod = (session, channel, method) => method is BasicPublish && Held(session, channel, ++published);
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        var channel = connection.CreateChannel(confirms: true);

        var publishes = Enumerable.Range(1, 4).Select(i => channel.Publish("", "q", $"m{i}").ToTask()).ToArray();

        await Task.WhenAll(publishes[0], publishes[1], publishes[2]).Within();
        var nacked = await Assert.ThrowsAsync<AmqpPublishException>(() => publishes[3].Within());
        Assert.False(nacked.Returned);
    }

    // Holds the first three publishes unconfirmed; on the fourth, confirms out of order: ack 2, nack 4, ack up to 3.
    private static bool Held(FakeAmqpSession session, ushort channel, int published)
    {
        if (published == 4)
        {
            session.SendNow(channel, new BasicAck { DeliveryTag = 2 });
            session.SendNow(channel, new BasicNack { DeliveryTag = 4 });
            session.SendNow(channel, new BasicAck { DeliveryTag = 3, Multiple = true });
        }

        return true;
    }

    [Fact]
    public async Task ConnectionClose_FailsWhatWaitsWithTheBrokersReplyCode_ThenItReconnects()
    {
        _broker.OnMethod = (_, _, method) => method is QueueDeclare { Queue: "pending" };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        var recoveries = connection.Recoveries.FirstAsync(e => e.Kind == AmqpRecoveryEventKind.Completed).ToTask();
        var session = await _broker.NextOpenedAsync();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("kept").ToTask().Within();
        var pending = channel.QueueDeclare("pending").ToTask();
        Guard.Until(() => session.Received.Any(r => r.Method is QueueDeclare { Queue: "pending" }), "the broker has the declare it will never answer");

        await session.CloseConnection(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'");

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => pending.Within());
        Assert.Equal(320, error.ReplyCode);
        var closed = Assert.IsType<AmqpBrokerClosedException>(error.InnerException);
        Assert.Equal(320, closed.ReplyCode);
        Assert.StartsWith("CONNECTION_FORCED", closed.ReplyText);
        await session.Lost.Task.Within();
        Assert.Contains(session.Received, r => r.Channel == 0 && r.Method is ConnectionCloseOk); // the goodbye is answered before the socket closes
        await recoveries.Within();
        var second = _broker.Sessions[^1];
        Assert.NotSame(session, second);
        Assert.Contains(second.Received, r => r.Method is QueueDeclare { Queue: "kept" }); // the topology was recovered
        Assert.Equal("again", (await channel.QueueDeclare("again").ToTask().Within()).Name);
    }

    [Fact]
    public async Task ChannelClose_FailsThatChannelOnly_OthersKeepWorking_AndItReopens()
    {
        _broker.OnMethod = (session, channel, method) =>
        {
            if (method is not QueueDeclare { Queue: "doomed" })
            {
                return false;
            }

            session.SendNow(channel, new ChannelClose { ReplyCode = 404, ReplyText = "NOT_FOUND - no queue 'doomed'", FailingClassId = 50, FailingMethodId = 10 });
            return true;
        };
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        var session = await _broker.NextOpenedAsync();
        var doomed = connection.CreateChannel();
        var other = connection.CreateChannel(confirms: true);
        await doomed.QueueDeclare("a").ToTask().Within();
        await other.QueueDeclare("b").ToTask().Within();

        var error = await Assert.ThrowsAsync<AmqpChannelException>(() => doomed.QueueDeclare("doomed").ToTask().Within());

        Assert.Equal(404, error.ReplyCode);
        Assert.Equal(50, error.ClassId);
        await other.Publish("", "b", "still fine").ToTask().Within();
        Assert.Equal("still fine", (await other.Get("b").ToTask().Within())?.BodyText);
        Assert.Equal("c", (await doomed.QueueDeclare("c").ToTask().Within()).Name);
        Assert.Single(_broker.Sessions);
        Assert.Contains(session.Received, r => r.Channel == doomed.Number && r.Method is ChannelCloseOk);
        Assert.Equal(2, session.Received.Count(r => r.Channel == doomed.Number && r.Method is ChannelOpen));
        Assert.False(session.Closed);
    }

    [Fact]
    public async Task ConnectionBlocked_HoldsPublishesUntilUnblocked_AndBlockedChangesShowsIt()
    {
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        var session = await _broker.NextOpenedAsync();
        var changes = connection.BlockedChanges.Take(3).ToList().ToTask();
        var confirmed = connection.CreateChannel(confirms: true);
        var plain = connection.CreateChannel();
        await confirmed.QueueDeclare("held").ToTask().Within();
        await plain.QueueDeclare("held").ToTask().Within();

        await session.Block("low on memory");
        await connection.BlockedChanges.FirstAsync(r => r is not null).ToTask().Within();
        Assert.Equal("low on memory", connection.BlockedReason);
        var publish = confirmed.Publish("", "held", "waited").ToTask();
        var big = new byte[256 << 10];
        var unconfirmed = Enumerable.Range(0, 8).Select(_ => plain.Publish("", "held", big)).ToList();

        // Nothing is written while blocked: a confirmed publish waits; unconfirmed ones count as done while queued,
        // until 1 MiB of them waits; then publishers wait too.
        Assert.False(publish.IsCompleted);
        Assert.True(unconfirmed[0].Called);
        Assert.False(unconfirmed[^1].Called);

        await session.Unblock();
        await publish.Within();
        await Task.WhenAll(unconfirmed.Select(p => p.ToTask())).Within();

        Assert.Equal(new string?[] { "low on memory", null }, (await changes.Within()).Skip(1));
        Assert.Null(connection.BlockedReason);
        Assert.Equal("waited", (await plain.Get("held").ToTask().Within())?.BodyText);
    }

    [Fact]
    public async Task ABlockedConnectionThatIsLost_IsNotBlockedAfterTheReconnect_AndHeldPublishesGoOutOnTheNewOne()
    {
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, _broker.Options()).Within();
        var session = await _broker.NextOpenedAsync();
        var channel = connection.CreateChannel();
        await channel.QueueDeclare("held").ToTask().Within();
        await session.Block("low on memory");
        await connection.BlockedChanges.FirstAsync(r => r is not null).ToTask().Within();
        var held = channel.Publish("", "held", "held while blocked").ToTask();

        await session.CloseConnection(320, "CONNECTION_FORCED - shutdown");

        // Never written while blocked, so not "may have executed": it goes out on the next connection.
        await _broker.NextOpenedAsync();
        await held.Within();
        // A new connection starts unblocked (the broker sends connection.blocked again if its alarm still holds).
        await connection.BlockedChanges.FirstAsync(r => r is null).ToTask().Within();
        Assert.Null(connection.BlockedReason);
        await channel.Publish("", "held", "after").ToTask().Within();
        Assert.Equal("held while blocked", (await channel.Get("held").ToTask().Within())?.BodyText);
        Assert.Equal("after", (await channel.Get("held").ToTask().Within())?.BodyText);
    }

    private static byte[] Malformed(string fault, ushort channel)
    {
        switch (fault)
        {
            case "bad-frame-end":
                var frame = FakeAmqpBroker.MethodFrame(channel, new QueueDeclareOk { Queue = "poison" });
                frame[^1] = 0x00;
                return frame;
            case "unknown-frame-type":
                return [9, 0, (byte)channel, 0, 0, 0, 0, AmqpConstants.FrameEnd];
            case "truncated-headers-table":
                var output = new System.Buffers.ArrayBufferWriter<byte>();
                AmqpFrameWriter.WriteMethod(output, channel, new BasicDeliver { ConsumerTag = "nobody", DeliveryTag = 1, RoutingKey = "poison" });
                var start = output.WrittenCount;
                AmqpFrameWriter.WriteContentHeader(output, channel, 0, new BasicProperties { Headers = new FieldTable { ["k"] = "v" } });
                var bytes = output.WrittenSpan.ToArray();
                // payload: class(2) weight(2) size(8) flags(2), then the headers table's length.
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(start + 7 + 14), 1000);
                return bytes;
            default:
                var body = new System.Buffers.ArrayBufferWriter<byte>();
                AmqpFrameWriter.WriteBody(body, channel, new System.Buffers.ReadOnlySequence<byte>("stray"u8.ToArray()), 0);
                return body.WrittenSpan.ToArray();
        }
    }
}
