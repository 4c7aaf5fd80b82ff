using System.Buffers;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Clients;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>
/// RabbitMQ's side of a connection played byte for byte by a test on a <see cref="VirtualNetwork"/>'s string
/// transport: the handshake, frames handed to the client, and the frames the client wrote, taken and decoded.
/// </summary>
internal sealed class ScriptedAmqpBroker(VirtualNetwork net)
{
    private readonly VirtualNetwork _net = net;

    public AmqpOptions Options(int heartbeat) => new()
    {
        Heartbeat = TimeSpan.FromSeconds(heartbeat),
        ConnectWith = _net.Connector.Connect,
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1), Jitter = 0 },
        OperationTimeout = TimeSpan.FromMinutes(10),
    };

    // Plays RabbitMQ's side of the handshake; returns the client's tune-ok.
    public async Task<ConnectionTuneOk> Handshake(ushort heartbeat)
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

    public async Task Receive(byte[] bytes)
    {
        await _net.OnLoop(() => _net.Connector.Current.Receive(bytes));
        await _net.Settle();
    }

    // Submitted from the test thread, a command reaches the loop on a later turn: waits (a bounded number of turns) for bytes.
    public async Task<byte[]> TakeSome()
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

    public async Task<byte[]> Take()
    {
        await _net.Settle();
        return await _net.Loop.InvokeAsync(() =>
        {
            var bytes = _net.Connector.Current.Value();
            _net.Connector.Current.Clear();
            return bytes;
        });
    }

    public static List<IAmqpMethod> Methods(byte[] bytes)
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
}
