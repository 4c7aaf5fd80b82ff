using System.Net;

namespace ReactiveKv.Examples.Backends;

/// <summary>A server a backend started; disposing it stops it and closes its connections.</summary>
public interface IRunningServer : IAsyncDisposable
{
    /// <summary>Where it accepts connections (the real port when 0 was asked for).</summary>
    IPEndPoint Address { get; }

    /// <summary>Other endpoints worth printing (such as a plugin's port), or null.</summary>
    string? Details => null;
}
