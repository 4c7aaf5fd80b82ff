using System.Collections.Concurrent;
using System.Net;

namespace ReactiveKv.Testing;

/// <summary>
/// A fault-injecting TCP proxy for resilience tests, in the spirit of Toxiproxy, built on the reactor itself: it
/// listens on loopback with <see cref="Reactor.ListenTcp"/>, connects upstream with <see cref="Reactor.ConnectTcp"/>
/// on the accepted connection's loop, and forwards bytes between two protocols, pausing the reading side while the
/// writing side (or the proxy's own delay queue) is full.
/// </summary>
/// <remarks>
/// Faults are set from any thread and apply to new and existing connections: <see cref="Latency"/> and
/// <see cref="Jitter"/> (or per direction with <see cref="SetLatency"/>), <see cref="BandwidthBytesPerSecond"/>,
/// <see cref="ResetAfterBytes"/>, <see cref="BlackHole"/>, <see cref="HalfClose"/>, <see cref="SliceWrites"/>;
/// <see cref="Heal"/> clears them and <see cref="CutAll"/> aborts every current connection. Delays run on the
/// reactor clock (timers on the connection's loop), so a <see cref="TestScheduler"/> clock drives them too.
/// </remarks>
public sealed class FaultProxy : IAsyncDisposable
{
    /// <summary>
    /// The proxy's own transports. The proxy consumes every byte it is given (it never waits for a whole frame), so a
    /// small read buffer costs nothing and bounds what one read can hand over while the sender is being paused.
    /// </summary>
    internal static readonly TransportOptions TransportOptions = new() { MaxBufferedReadBytes = 256 << 10 };

    private readonly object _gate = new();
    private readonly ConcurrentDictionary<FaultProxyConnection, byte> _connections = new();
    private readonly IListeningPort _port;
    private FaultSettings _settings = FaultSettings.None;
    private long _accepted;
    private long _bytesUpstream;
    private long _bytesDownstream;
    private long _writesUpstream;
    private long _writesDownstream;
    private long _peakQueued;
    private long _readFromClients;
    private long _readFromServers;
    private int _disposed;

    private FaultProxy(Reactor reactor, string upstreamHost, int upstreamPort)
    {
        Reactor = reactor;
        UpstreamHost = upstreamHost;
        UpstreamPort = upstreamPort;
        _port = reactor.ListenTcp(0, new ServerFactory(() => new FaultProxyConnection(this).Client), interfaceAddress: "127.0.0.1", options: TransportOptions);
        Endpoint = new IPEndPoint(IPAddress.Loopback, _port.Port);
    }

    /// <summary>The reactor the proxy runs on.</summary>
    public Reactor Reactor { get; }

    /// <summary>The host connections are forwarded to (a loopback address or <c>localhost</c>).</summary>
    public string UpstreamHost { get; }

    /// <summary>The port connections are forwarded to.</summary>
    public int UpstreamPort { get; }

    /// <summary>The loopback port clients connect to instead of the upstream server.</summary>
    public int Port => _port.Port;

    /// <summary>Where clients connect: 127.0.0.1 and <see cref="Port"/>.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The proxy as <c>host:port</c>, for connection strings and URLs.</summary>
    public string HostAndPort => $"127.0.0.1:{Port}";

    /// <summary>Connections accepted since the start.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections currently open (accepted and not yet closed on both sides).</summary>
    public int ActiveConnections => _connections.Count;

    /// <summary>Bytes written to upstream servers (client to server).</summary>
    public long BytesUpstream => Interlocked.Read(ref _bytesUpstream);

    /// <summary>Bytes written to clients (server to client).</summary>
    public long BytesDownstream => Interlocked.Read(ref _bytesDownstream);

    /// <summary>Writes made to upstream servers (with <see cref="SliceWrites"/>, one per byte).</summary>
    public long WritesUpstream => Interlocked.Read(ref _writesUpstream);

    /// <summary>Writes made to clients (with <see cref="SliceWrites"/>, one per byte).</summary>
    public long WritesDownstream => Interlocked.Read(ref _writesDownstream);

    /// <summary>Bytes read from clients, forwarded or not (a black hole reads and drops them): with <see cref="BytesUpstream"/> it shows what a fault held back.</summary>
    public long BytesReadFromClients => Interlocked.Read(ref _readFromClients);

    /// <summary>Bytes read from upstream servers, forwarded or not.</summary>
    public long BytesReadFromServers => Interlocked.Read(ref _readFromServers);

    /// <summary>
    /// The most bytes one direction of one connection has held at once, waiting for their due time. Bounded: above
    /// 256 KiB the proxy stops reading from the sender until the queue drains, so the peak is that plus one read.
    /// </summary>
    public long PeakQueuedBytes => Interlocked.Read(ref _peakQueued);

    /// <summary>Added delay in both directions (the setter sets both; the getter reads the downstream one).</summary>
    public TimeSpan Latency
    {
        get => Settings.DownstreamLatency;
        set => Update(s => s with { UpstreamLatency = NotNegative(value), DownstreamLatency = NotNegative(value) });
    }

    /// <summary>
    /// Random variation added to <see cref="Latency"/> in both directions: each chunk is delayed by latency plus a
    /// uniform amount in [-jitter, +jitter] (never below zero). Order is kept, as TCP keeps it.
    /// </summary>
    public TimeSpan Jitter
    {
        get => Settings.DownstreamJitter;
        set => Update(s => s with { UpstreamJitter = NotNegative(value), DownstreamJitter = NotNegative(value) });
    }

    /// <summary>A bandwidth limit applied to each direction of each connection; 0 (the default) is unlimited.</summary>
    public long BandwidthBytesPerSecond
    {
        get => Settings.BandwidthBytesPerSecond;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Update(s => s with { BandwidthBytesPerSecond = value });
        }
    }

    /// <summary>
    /// Accept and read but forward nothing either way and never answer: bytes are dropped, connections stay open.
    /// New connections are still accepted (and still connect upstream), so a client's connect succeeds and its
    /// handshake hangs. Turning it off does not replay what was dropped.
    /// </summary>
    public bool BlackHole
    {
        get => Settings.BlackHole;
        set => Update(s => s with { BlackHole = value });
    }

    /// <summary>Forward every chunk as 1-byte writes, one per loop turn (Nagle off), so the peer's decoder sees 1-byte segments.</summary>
    public bool SliceWrites
    {
        get => Settings.SliceWrites;
        set => Update(s => s with { SliceWrites = value });
    }

    /// <summary>
    /// With <see cref="SliceWrites"/>, the pause between two 1-byte writes, on the reactor clock. Zero (the default)
    /// means the next loop turn, which makes 1-byte writes but lets a slower reader still read several at once.
    /// </summary>
    public TimeSpan SliceDelay
    {
        get => Settings.SliceDelay;
        set => Update(s => s with { SliceDelay = NotNegative(value) });
    }

    /// <summary>True after <see cref="HalfClose"/> until <see cref="Heal"/>.</summary>
    public bool IsHalfClosed => Settings.HalfClosed;

    /// <summary>True while <see cref="ResetAfterBytes"/> is in force.</summary>
    public bool ResetsAfterBytes => Settings.ResetAfterBytes >= 0;

    internal FaultSettings Settings => Volatile.Read(ref _settings);

    /// <summary>Starts a proxy on a free loopback port that forwards to <paramref name="upstreamHost"/>:<paramref name="upstreamPort"/>.</summary>
    /// <exception cref="ArgumentException">The upstream host is not a loopback address or <c>localhost</c>.</exception>
    public static Task<FaultProxy> StartAsync(Reactor reactor, string upstreamHost, int upstreamPort)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(upstreamHost);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(upstreamPort);

        // A fault injector is a test tool: keeping it on loopback means a mistyped host cannot aim it at a real network.
        if (!string.Equals(upstreamHost, "localhost", StringComparison.OrdinalIgnoreCase)
            && !(IPAddress.TryParse(upstreamHost, out var address) && IPAddress.IsLoopback(address)))
        {
            throw new ArgumentException($"The fault proxy only forwards to loopback; '{upstreamHost}' is not.", nameof(upstreamHost));
        }

        return Task.FromResult(new FaultProxy(reactor, upstreamHost, upstreamPort));
    }

    /// <summary>Sets the delay and jitter of one direction.</summary>
    public void SetLatency(ProxyDirection direction, TimeSpan latency, TimeSpan jitter = default)
    {
        latency = NotNegative(latency);
        jitter = NotNegative(jitter);
        Update(s => direction == ProxyDirection.Upstream
            ? s with { UpstreamLatency = latency, UpstreamJitter = jitter }
            : s with { DownstreamLatency = latency, DownstreamJitter = jitter });
    }

    /// <summary>The delay set for one direction.</summary>
    public TimeSpan GetLatency(ProxyDirection direction) => Settings.Latency(direction);

    /// <summary>
    /// Aborts both sides of a connection (a reset, not a clean close) once <paramref name="bytes"/> more bytes have been
    /// forwarded to its client, counted from now for open connections and from the start for new ones. The last
    /// write is cut to land exactly on the limit, so replies are usually cut mid-frame. Stays in force (every new
    /// connection is cut too) until <see cref="Heal"/>.
    /// </summary>
    public void ResetAfterBytes(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Update(s => s with { ResetAfterBytes = bytes, ResetGeneration = s.ResetGeneration + 1 });
    }

    /// <summary>
    /// Shuts down the write side towards every client (a FIN: the client reads end-of-stream) while still reading
    /// from it and forwarding what it sends upstream; replies are dropped. New connections are half-closed as soon as
    /// they are accepted, until <see cref="Heal"/> (which does not reopen a half-closed connection: TCP cannot).
    /// </summary>
    public void HalfClose()
    {
        Update(s => s with { HalfClosed = true });
        foreach (var connection in _connections.Keys)
        {
            connection.Loop?.CallFromThread(connection.HalfClose);
        }
    }

    /// <summary>
    /// Clears every fault. Open connections carry on: bytes already waiting out a delay keep their due time (so order
    /// is kept), bytes dropped while faulty stay dropped, and a half-closed connection stays half-closed.
    /// </summary>
    public void Heal() => Update(s => FaultSettings.None with { ResetGeneration = s.ResetGeneration });

    /// <summary>Aborts every current connection (both sides, with a reset). New connections are accepted as usual.</summary>
    public void CutAll()
    {
        foreach (var connection in _connections.Keys)
        {
            if (connection.Loop is { } loop)
            {
                loop.CallFromThread(connection.Abort);
            }
        }
    }

    /// <summary>Stops listening and aborts every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        CutAll();
        try
        {
            await _port.StopListening().ToTask().ConfigureAwait(false);
        }
        catch (ReactorNotRunningException)
        {
            // The reactor stopped first and closed the port with everything else.
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"FaultProxy 127.0.0.1:{Port} -> {UpstreamHost}:{UpstreamPort}";

    internal void Opened(FaultProxyConnection connection)
    {
        Interlocked.Increment(ref _accepted);
        _connections.TryAdd(connection, 0);
    }

    internal void Closed(FaultProxyConnection connection) => _connections.TryRemove(connection, out _);

    internal void Forwarded(ProxyDirection direction, int bytes)
    {
        if (direction == ProxyDirection.Upstream)
        {
            Interlocked.Add(ref _bytesUpstream, bytes);
            Interlocked.Increment(ref _writesUpstream);
        }
        else
        {
            Interlocked.Add(ref _bytesDownstream, bytes);
            Interlocked.Increment(ref _writesDownstream);
        }
    }

    internal void Queued(long bytes)
    {
        var peak = Interlocked.Read(ref _peakQueued);
        while (bytes > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakQueued, bytes, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    internal void Read(ProxyDirection direction, long bytes)
    {
        if (direction == ProxyDirection.Upstream)
        {
            Interlocked.Add(ref _readFromClients, bytes);
        }
        else
        {
            Interlocked.Add(ref _readFromServers, bytes);
        }
    }

    private static TimeSpan NotNegative(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        return value;
    }

    private void Update(Func<FaultSettings, FaultSettings> change)
    {
        lock (_gate)
        {
            Volatile.Write(ref _settings, change(_settings));
        }
    }
}
