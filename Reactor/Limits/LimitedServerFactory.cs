using System.Net;

namespace ReactiveKv;

/// <summary>
/// Wraps a server's protocol factory with <see cref="ServerLimits"/>: refuses connections past
/// <see cref="ServerLimits.MaxConnections"/> (returning null closes the accepted socket at once) and gives each
/// connection the idle and request timers. Listen with <see cref="ServerLimits.ApplyTo"/>'s transport options so the
/// buffer caps hold too.
/// </summary>
public sealed class LimitedServerFactory : IProtocolFactory
{
    private readonly IProtocolFactory _inner;
    private int _active;
    private long _refused;
    private long _idleClosed;
    private long _requestTimeouts;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public LimitedServerFactory(IProtocolFactory inner, ServerLimits? limits = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Limits = limits ?? ServerLimits.Default;
        if (Limits.MaxConnections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), "MaxConnections must be at least 1.");
        }

        // A zero or negative timer would close every connection on its first turn: a mistake, not a policy.
        if (Limits.IdleTimeout <= TimeSpan.Zero || Limits.RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), "IdleTimeout and RequestTimeout must be positive (or null for none).");
        }

        if (Limits.MaxBufferedInputBytes < 1 || Limits.MaxBufferedOutputBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), "The buffer caps must be positive.");
        }
    }

    /// <summary>The limits applied.</summary>
    public ServerLimits Limits { get; }

    /// <summary>Connections open now.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    /// <summary>Connections refused because <see cref="ServerLimits.MaxConnections"/> were open.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    /// <summary>Connections closed by the idle timer.</summary>
    public long IdleClosed => Interlocked.Read(ref _idleClosed);

    /// <summary>Connections closed because a request did not complete in time.</summary>
    public long RequestTimeouts => Interlocked.Read(ref _requestTimeouts);

    /// <inheritdoc />
    public IProtocol? BuildProtocol(EndPoint address)
    {
        // Connections are accepted on several loops: reserve a slot atomically, then give it back if refused.
        if (Interlocked.Increment(ref _active) > Limits.MaxConnections)
        {
            Interlocked.Decrement(ref _active);
            Interlocked.Increment(ref _refused);
            return null;
        }

        IProtocol? protocol;
        try
        {
            protocol = _inner.BuildProtocol(address);
        }
        catch
        {
            Interlocked.Decrement(ref _active);
            throw;
        }

        if (protocol is null)
        {
            Interlocked.Decrement(ref _active);
            return null;
        }

        return new LimitedProtocol(this, protocol);
    }

    /// <inheritdoc />
    public void DoStart() => _inner.DoStart();

    /// <inheritdoc />
    public void DoStop() => _inner.DoStop();

    /// <summary>A connection built by this factory is gone.</summary>
    internal void Released() => Interlocked.Decrement(ref _active);

    /// <summary>The idle timer closed a connection.</summary>
    internal void CountIdleClose() => Interlocked.Increment(ref _idleClosed);

    /// <summary>The request timer closed a connection.</summary>
    internal void CountRequestTimeout() => Interlocked.Increment(ref _requestTimeouts);
}
