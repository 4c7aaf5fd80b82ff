using System.Net;

namespace ReactiveKv;

/// <summary>One outgoing connection's lifecycle: can connect again, disconnect, or stop an attempt (Twisted's <c>IConnector</c>).</summary>
public interface IConnector
{
    /// <summary>Where it connects to.</summary>
    EndPoint Destination { get; }

    /// <summary>The loop its connection and its factory callbacks run on.</summary>
    EventLoop Loop { get; }

    /// <summary>The current state.</summary>
    ConnectorState State { get; }

    /// <summary>Starts a new attempt (after a failure or loss). Loop thread.</summary>
    void Connect();

    /// <summary>Stops an attempt in progress, or closes the connection once pending writes are sent.</summary>
    void Disconnect();

    /// <summary>Stops an attempt in progress; the factory hears <see cref="IClientFactory.ClientConnectionFailed"/> with <see cref="OperationCanceledException"/>.</summary>
    void StopConnecting();
}
