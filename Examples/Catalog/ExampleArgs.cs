namespace ReactiveKv.Examples.Catalog;

/// <summary>The options an example may use; each reads the ones that make sense for it.</summary>
public sealed record ExampleArgs
{
    /// <summary>Host of an outside server (loopback by default).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to listen on or connect to; null for the example's default.</summary>
    public int? Port { get; init; }

    /// <summary>An outside server as <c>host:port</c> or a URL (the Redis examples); null for the example's default.</summary>
    public string? Server { get; init; }

    /// <summary>A RabbitMQ broker URL (<c>amqp://…</c>) for the RabbitMQ examples; null for <see cref="Server"/>, else <c>AMQP_URL</c> or the default.</summary>
    public string? Amqp { get; init; }

    /// <summary>Meta servers of a real Pegasus cluster (<c>host:port,host:port</c>); null runs the Pegasus examples against the embedded server.</summary>
    public string? Meta { get; init; }

    /// <summary>A real ktserver (<c>host:port</c>) for the Kyoto Tycoon examples; null runs them against the embedded server.</summary>
    public string? Kt { get; init; }

    /// <summary>Text to send, where the example sends text.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// Set by <c>all</c>: examples that would otherwise wait for Ctrl+C exercise themselves and finish, on free ports.
    /// </summary>
    public bool SelfTest { get; init; }
}
