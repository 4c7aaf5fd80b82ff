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
    private readonly VirtualNetwork _net;
    private readonly ScriptedAmqpBroker _broker;

    public AmqpVirtualTimeTests()
    {
        _net = new VirtualNetwork();
        _broker = new ScriptedAmqpBroker(_net);
    }

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

    private AmqpOptions Options(int heartbeat) => _broker.Options(heartbeat);

    private Task<ConnectionTuneOk> Handshake(ushort heartbeat) => _broker.Handshake(heartbeat);

    private Task Receive(byte[] bytes) => _broker.Receive(bytes);

    private Task<byte[]> TakeSome() => _broker.TakeSome();

    private Task<byte[]> Take() => _broker.Take();

    private static List<IAmqpMethod> Methods(byte[] bytes) => ScriptedAmqpBroker.Methods(bytes);

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
