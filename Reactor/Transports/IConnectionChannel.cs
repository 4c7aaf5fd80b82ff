using System.Net;

namespace ReactiveKv;

/// <summary>
/// What <see cref="TransportBase"/> needs of any connection, whoever moves its bytes: its addresses, its socket options,
/// and closing it. A pulled stream (<see cref="IByteChannel"/>) is one; another reactor's channel, which pushes its
/// bytes, is another.
/// </summary>
internal interface IConnectionChannel : IDisposable
{
    EndPoint LocalEndPoint { get; }

    EndPoint RemoteEndPoint { get; }

    bool NoDelay { get; set; }

    bool KeepAlive { get; set; }

    /// <summary>
    /// Shuts down the write half (a FIN; under TLS a close_notify first) once what was handed to the channel is sent,
    /// and goes on reading. Faults with the I/O error if it cannot.
    /// </summary>
    Task ShutdownOutputAsync();

    /// <summary>Closes at once, resetting the connection and dropping unsent data.</summary>
    void Abort();
}
