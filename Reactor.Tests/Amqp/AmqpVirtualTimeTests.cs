using System.Buffers;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Clients;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>
/// The client on a <see cref="TestScheduler"/> with the test playing the broker byte for byte on a string transport:
/// heartbeats go out every half interval, silence for two intervals fails the connection, and a handshake nobody
/// answers fails at ConnectTimeout, all without real time passing.
/// </summary>
public sealed class AmqpVirtualTimeTests : IAsyncLifetime
{
    private static readonly byte[] HeartbeatFrame = [8, 0, 0, 0, 0, 0, 0, AmqpConstants.FrameEnd];
    private readonly VirtualNetwork _net = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _net.DisposeAsync();

    [Fact]
    public async Task HeartbeatsGoOutEveryHalfInterval_AndTwoSilentIntervalsFailTheConnection()
    {
        var connection = AmqpConnection.Create(_net.Reactor, Options(heartbeat: 10));
        await using var _ = connection;
        var tune = await Handshake(heartbeat: 10);
        Assert.Equal(10, tune.Heartbeat);
        await connection.ConnectAsync().Within();

        // Nothing from the broker since open-ok at t=0: a heartbeat at 5, 10, 15 s, each after exactly half an interval.
        for (var i = 0; i < 3; i++)
        {
            await _net.Advance(TimeSpan.FromSeconds(4.9));
            Assert.Empty(await Take());
            await _net.Advance(TimeSpan.FromSeconds(0.1));
            Assert.Equal(HeartbeatFrame, await Take());
        }

        // The broker's heartbeat at 15 s resets the silence; an operation then waits for an answer that never comes.
        await Receive(HeartbeatFrame);
        var waiting = connection.CreateChannel().QueueDeclare("q").ToTask();
        Assert.IsType<ChannelOpen>(Methods(await TakeSome())[0]);
        // Time moves one tick at a time: a tick schedules the next from the loop's clock when it runs.
        for (var i = 0; i < 3; i++)
        {
            await _net.Advance(TimeSpan.FromSeconds(5)); // 20, 25, 30 s: 5, 10, 15 s of silence
            Assert.Equal(1, CountHeartbeats(await Take()));
        }

        await _net.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(connection.IsConnected);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, CountHeartbeats(await Take()));

        await _net.Advance(TimeSpan.FromSeconds(0.1)); // 35 s: two whole intervals of silence

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => waiting.Within());
        var heartbeat = Assert.IsType<AmqpHeartbeatException>(error.InnerException);
        Assert.Equal(TimeSpan.FromSeconds(10), heartbeat.Interval);
        Assert.True(_net.Connector.Current.Aborted);
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task AConnectionDroppedWithHeartbeatsOn_IsLostCleanly_ThenReconnectsAndHeartbeatsAgain()
    {
        var connection = AmqpConnection.Create(_net.Reactor, Options(heartbeat: 10) with
        {
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), Jitter = 0 },
        });
        await using var _ = connection;
        await Handshake(heartbeat: 10);
        await connection.ConnectAsync().Within();
        var waiting = connection.CreateChannel().QueueDeclare("q").ToTask();
        await _net.Settle();
        await Take();

        // The loss path stops the heartbeat timer more than once (in-flight hand-over, then connection lost).
        await _net.OnLoop(() => _net.Connector.Drop());

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => waiting.Within());
        Assert.IsType<ConnectionLostException>(error.InnerException);
        await _net.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _net.Connector.Attempts);
        await Handshake(heartbeat: 10);
        await connection.ConnectAsync().Within();
        await _net.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HeartbeatFrame, await Take());
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task WithHeartbeatsOff_NothingIsSent_AndSilenceIsFine()
    {
        var connection = AmqpConnection.Create(_net.Reactor, Options(heartbeat: 0));
        await using var _ = connection;
        var tune = await Handshake(heartbeat: 0);
        Assert.Equal(0, tune.Heartbeat);
        await connection.ConnectAsync().Within();

        await _net.Advance(TimeSpan.FromHours(1));

        Assert.Empty(await Take());
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task ABrokerThatNeverAnswersTheProtocolHeader_FailsTheConnectAtConnectTimeout()
    {
        var connection = AmqpConnection.Create(_net.Reactor, Options(heartbeat: 10) with { ConnectTimeout = TimeSpan.FromSeconds(3) });
        await using var _ = connection;
        var connect = connection.ConnectAsync();
        await _net.Settle();
        await _net.Accept();
        await _net.Settle();
        Assert.Equal(AmqpConstants.ProtocolHeader.ToArray(), await Take());

        await _net.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(connect.IsCompleted);
        await _net.Advance(TimeSpan.FromSeconds(0.1));

        var error = await Assert.ThrowsAsync<AmqpConnectionException>(() => connect.Within());
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.True(_net.Connector.Current.Aborted);
    }

    private AmqpOptions Options(int heartbeat) => new()
    {
        Heartbeat = TimeSpan.FromSeconds(heartbeat),
        ConnectWith = _net.Connector.Connect,
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1), Jitter = 0 },
        OperationTimeout = TimeSpan.FromMinutes(10),
    };

    // Plays RabbitMQ's side of the handshake; returns the client's tune-ok.
    private async Task<ConnectionTuneOk> Handshake(ushort heartbeat)
    {
        await _net.Settle();
        await _net.Accept();
        await _net.Settle();
        Assert.Equal(AmqpConstants.ProtocolHeader.ToArray(), await Take());
        await Receive(FakeAmqpBroker.MethodFrame(0, new ConnectionStart { VersionMajor = 0, VersionMinor = 9, ServerProperties = new FieldTable { ["product"] = "RabbitMQ" }, Mechanisms = "PLAIN AMQPLAIN", Locales = "en_US" }));
        var startOk = Assert.IsType<ConnectionStartOk>(Methods(await Take()).Single());
        Assert.Equal("PLAIN", startOk.Mechanism);
        await Receive(FakeAmqpBroker.MethodFrame(0, new ConnectionTune { ChannelMax = 2047, FrameMax = 131072, Heartbeat = heartbeat }));
        var sent = Methods(await Take());
        var tuneOk = Assert.IsType<ConnectionTuneOk>(sent[0]);
        Assert.IsType<ConnectionOpen>(sent[1]);
        await Receive(FakeAmqpBroker.MethodFrame(0, new ConnectionOpenOk()));
        return tuneOk;
    }

    private async Task Receive(byte[] bytes)
    {
        await _net.OnLoop(() => _net.Connector.Current.Receive(bytes));
        await _net.Settle();
    }

    // Submitted from the test thread, a command reaches the loop on a later turn: waits (a bounded number of turns) for bytes.
    private async Task<byte[]> TakeSome()
    {
        for (var turn = 0; turn < 10_000; turn++)
        {
            var bytes = await Take();
            if (bytes.Length > 0)
            {
                return bytes;
            }

            await Task.Yield();
        }

        throw new Xunit.Sdk.XunitException("The client wrote nothing.");
    }

    private async Task<byte[]> Take()
    {
        await _net.Settle();
        return await _net.Loop.InvokeAsync(() =>
        {
            var bytes = _net.Connector.Current.Value();
            _net.Connector.Current.Clear();
            return bytes;
        });
    }

    private static List<IAmqpMethod> Methods(byte[] bytes)
    {
        var decoder = new AmqpFrameDecoder(uint.MaxValue);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var methods = new List<IAmqpMethod>();
        while (decoder.TryDecode(ref buffer, out var frame))
        {
            Assert.Equal(AmqpFrameType.Method, frame.Type);
            methods.Add(AmqpMethodDecoder.Decode(frame.Payload));
        }

        Assert.True(buffer.IsEmpty);
        return methods;
    }

    // Counts the heartbeat frames among what was written; a method frame (the queue.declare may go out a turn after
    // its channel.open) is allowed, nothing else is.
    private static int CountHeartbeats(byte[] bytes)
    {
        var decoder = new AmqpFrameDecoder(uint.MaxValue);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var heartbeats = 0;
        while (decoder.TryDecode(ref buffer, out var frame))
        {
            if (frame.Type == AmqpFrameType.Heartbeat)
            {
                Assert.Equal(0, frame.Channel);
                Assert.Equal(0, frame.Payload.Length);
                heartbeats++;
            }
            else
            {
                Assert.Equal(AmqpFrameType.Method, frame.Type);
            }
        }

        Assert.True(buffer.IsEmpty);
        return heartbeats;
    }
}
