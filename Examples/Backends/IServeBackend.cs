namespace ReactiveKv.Examples.Backends;

/// <summary>A backend whose embedded server <c>serve &lt;name&gt;</c> runs in the foreground.</summary>
public interface IServeBackend
{
    /// <summary>The name on the command line.</summary>
    string Name { get; }

    /// <summary>One line for help and listings.</summary>
    string Description { get; }

    /// <summary>Starts the server on <paramref name="reactor"/> (loopback only); it runs until the result is disposed.</summary>
    Task<IRunningServer> StartAsync(Reactor reactor, ServeOptions options, CancellationToken cancellationToken);
}
