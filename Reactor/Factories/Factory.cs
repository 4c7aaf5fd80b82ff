using System.Net;

namespace ReactiveKv;

/// <summary>A protocol factory from a constructor function (Twisted's <c>Factory</c> / <c>Factory.forProtocol</c>).</summary>
public class Factory : IProtocolFactory
{
    private readonly Func<EndPoint, IProtocol?>? _build;
    private int _users;

    /// <summary>Creates a factory that calls <paramref name="build"/> for each connection.</summary>
    public Factory(Func<IProtocol?> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        _build = _ => build();
    }

    /// <summary>Creates a factory that calls <paramref name="build"/> with the peer address for each connection.</summary>
    public Factory(Func<EndPoint, IProtocol?> build) => _build = build ?? throw new ArgumentNullException(nameof(build));

    /// <summary>For subclasses that override <see cref="BuildProtocol"/>.</summary>
    protected Factory()
    {
    }

    /// <summary>True while at least one port or connector uses the factory.</summary>
    public bool Started => _users > 0;

    /// <summary>A factory building <typeparamref name="TProtocol"/> with its parameterless constructor.</summary>
    public static Factory ForProtocol<TProtocol>()
        where TProtocol : IProtocol, new() => new(() => new TProtocol());

    /// <inheritdoc />
    public virtual IProtocol? BuildProtocol(EndPoint address) =>
        _build is null ? throw new InvalidOperationException($"{GetType().Name} must override BuildProtocol.") : _build(address);

    /// <inheritdoc />
    public void DoStart()
    {
        if (Interlocked.Increment(ref _users) == 1)
        {
            StartFactory();
        }
    }

    /// <inheritdoc />
    public void DoStop()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            StopFactory();
        }
    }

    /// <summary>First use of the factory.</summary>
    protected virtual void StartFactory()
    {
    }

    /// <summary>Last use of the factory ended.</summary>
    protected virtual void StopFactory()
    {
    }
}
