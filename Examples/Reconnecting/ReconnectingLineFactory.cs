using System.Net;
using System.Threading.Channels;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Reconnecting;

/// <summary>
/// A reconnecting factory of <see cref="LineClient"/>s that narrates its connection's life and publishes it as
/// events, so the example can wait on each step instead of guessing how long it takes.
/// </summary>
public sealed class ReconnectingLineFactory : ReconnectingClientFactory
{
    private readonly Channel<ConnectionEvent> _events = Channel.CreateUnbounded<ConnectionEvent>();
    private readonly TextWriter _output;

    /// <summary>Creates the factory; it narrates to <paramref name="output"/>.</summary>
    public ReconnectingLineFactory(TextWriter output) => _output = output;

    /// <inheritdoc />
    public override IProtocol BuildProtocol(EndPoint address) => new LineClient(Connected);

    /// <inheritdoc />
    public override void ClientConnectionFailed(IConnector connector, Exception reason)
    {
        base.ClientConnectionFailed(connector, reason);
        _output.WriteLine($"connection failed: {reason.Message} {Plan()}");
        _events.Writer.TryWrite(new(ConnectionEventKind.Failed, null, reason));
    }

    /// <inheritdoc />
    public override void ClientConnectionLost(IConnector connector, Exception reason)
    {
        base.ClientConnectionLost(connector, reason);
        _output.WriteLine($"connection lost: {reason.Message} {Plan()}");
        _events.Writer.TryWrite(new(ConnectionEventKind.Lost, null, reason));
    }

    /// <summary>Waits for the next event of <paramref name="kind"/>, passing over others.</summary>
    public async Task<ConnectionEvent> NextAsync(ConnectionEventKind kind, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await _events.Reader.ReadAsync(cancellationToken);
            if (next.Kind == kind)
            {
                return next;
            }
        }
    }

    private void Connected(LineClient client)
    {
        // The connection is good: the next outage starts again from the initial delay.
        ResetDelay();
        _output.WriteLine($"connected to {client.Transport.Peer}");
        _events.Writer.TryWrite(new(ConnectionEventKind.Connected, client, null));
    }

    private string Plan() => ContinueTrying ? $"(retry in {CurrentDelay.TotalSeconds:0.000} s)" : "(not retrying)";
}
