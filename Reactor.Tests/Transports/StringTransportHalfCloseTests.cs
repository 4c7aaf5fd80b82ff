using System.Buffers;
using ReactiveKv.Testing;

namespace ReactiveKv.Tests.Transports;

/// <summary>The test transport's half-close: what a protocol under test sees of LoseWriteConnection and a peer's FIN.</summary>
public sealed class StringTransportHalfCloseTests
{
    [Fact]
    public void LoseWriteConnection_TellsAHalfCloseableProtocol_AndDropsLaterWrites()
    {
        var transport = new StringTransport();
        var protocol = new HalfCloseable();
        transport.Attach(protocol);

        transport.Write("before"u8);
        transport.LoseWriteConnection();
        transport.Write("after"u8);

        Assert.True(transport.WriteDisconnected);
        Assert.False(transport.Disconnecting);
        Assert.Equal("before"u8.ToArray(), transport.Value());
        Assert.Equal(["writeLost"], protocol.Events);
    }

    [Fact]
    public void LoseRead_IsReadConnectionLost_ForAHalfCloseableProtocol_AndConnectionLost_ForAnyOther()
    {
        var halfCloseable = new HalfCloseable();
        var first = new StringTransport();
        first.Attach(halfCloseable);
        first.LoseRead();
        Assert.Equal(["readLost"], halfCloseable.Events);

        var plain = new HalfCloseable.Plain();
        var second = new StringTransport();
        second.Attach(plain);
        second.LoseRead();
        Assert.IsType<ConnectionDoneException>(plain.Reason);
    }

    private sealed class HalfCloseable : Protocol, IHalfCloseableProtocol
    {
        public List<string> Events { get; } = [];

        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data) => data.End;

        public void ReadConnectionLost() => Events.Add("readLost");

        public void WriteConnectionLost() => Events.Add("writeLost");

        protected override void ConnectionLost(Exception reason) => Events.Add("lost");

        public sealed class Plain : Protocol
        {
            public Exception? Reason { get; private set; }

            public override SequencePosition DataReceived(in ReadOnlySequence<byte> data) => data.End;

            protected override void ConnectionLost(Exception reason) => Reason = reason;
        }
    }
}
