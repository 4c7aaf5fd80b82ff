using System.Net;

namespace ReactiveKv.Examples.Echo;

/// <summary>Twisted's <c>EchoClientFactory</c>: reports how the connection fared and stops the reactor either way.</summary>
public sealed class EchoClientFactory(Reactor reactor, IReadOnlyList<string> lines, TextWriter output) : ClientFactory
{
    /// <summary>The protocol of the connection, once made.</summary>
    public EchoClient? Client { get; private set; }

    /// <summary>Why connecting failed, if it did.</summary>
    public Exception? Failure { get; private set; }

    /// <inheritdoc />
    public override IProtocol BuildProtocol(EndPoint address) => Client = new EchoClient(lines, output);

    /// <inheritdoc />
    public override void ClientConnectionFailed(IConnector connector, Exception reason)
    {
        output.WriteLine($"connection failed: {reason.Message}");
        Failure = reason;
        reactor.Stop();
    }

    /// <inheritdoc />
    public override void ClientConnectionLost(IConnector connector, Exception reason)
    {
        output.WriteLine($"connection lost: {reason.Message}");
        reactor.Stop();
    }
}
