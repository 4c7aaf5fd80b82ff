using System.Net;

namespace ReactiveKv;

/// <summary>A factory for outgoing connections whose connection events are overridable (Twisted's <c>ClientFactory</c>).</summary>
public class ClientFactory : Factory, IClientFactory
{
    /// <summary>Creates a client factory that calls <paramref name="build"/> for each connection.</summary>
    public ClientFactory(Func<IProtocol?> build)
        : base(build)
    {
    }

    /// <summary>Creates a client factory that calls <paramref name="build"/> with the peer address.</summary>
    public ClientFactory(Func<EndPoint, IProtocol?> build)
        : base(build)
    {
    }

    /// <summary>For subclasses that override <see cref="Factory.BuildProtocol"/>.</summary>
    protected ClientFactory()
    {
    }

    /// <inheritdoc />
    public virtual void StartedConnecting(IConnector connector)
    {
    }

    /// <inheritdoc />
    public virtual void ClientConnectionFailed(IConnector connector, Exception reason)
    {
    }

    /// <inheritdoc />
    public virtual void ClientConnectionLost(IConnector connector, Exception reason)
    {
    }
}
