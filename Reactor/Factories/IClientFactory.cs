namespace ReactiveKv;

/// <summary>A factory that hears how its outgoing connections fare (Twisted's <c>ClientFactory</c> callbacks).</summary>
public interface IClientFactory : IProtocolFactory
{
    /// <summary>An attempt to connect has started.</summary>
    void StartedConnecting(IConnector connector);

    /// <summary>The attempt failed (refused, unreachable, timed out, TLS refused); <paramref name="reason"/> says why.</summary>
    void ClientConnectionFailed(IConnector connector, Exception reason);

    /// <summary>An established connection went away; <paramref name="reason"/> says why.</summary>
    void ClientConnectionLost(IConnector connector, Exception reason);
}
