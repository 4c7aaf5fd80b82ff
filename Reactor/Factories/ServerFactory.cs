using System.Net;

namespace ReactiveKv;

/// <summary>A factory for listening ports (Twisted's <c>ServerFactory</c>).</summary>
public class ServerFactory : Factory
{
    /// <summary>Creates a server factory that calls <paramref name="build"/> for each accepted connection.</summary>
    public ServerFactory(Func<IProtocol?> build)
        : base(build)
    {
    }

    /// <summary>Creates a server factory that calls <paramref name="build"/> with the peer address.</summary>
    public ServerFactory(Func<EndPoint, IProtocol?> build)
        : base(build)
    {
    }

    /// <summary>For subclasses that override <see cref="Factory.BuildProtocol"/>.</summary>
    protected ServerFactory()
    {
    }
}
