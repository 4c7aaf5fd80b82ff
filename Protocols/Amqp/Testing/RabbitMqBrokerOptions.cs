namespace ReactiveKv.Amqp.Testing;

/// <summary>How <see cref="RabbitMqBroker.StartAsync(RabbitMqBrokerOptions?, CancellationToken)"/> runs its throwaway broker.</summary>
public sealed class RabbitMqBrokerOptions
{
    /// <summary>The AMQP port on 127.0.0.1; null picks a free one.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// The folder holding RabbitMQ's own scripts (<c>rabbitmq-server</c>, <c>rabbitmqctl</c>); null looks in the
    /// <c>RABBITMQ_SCRIPTS_DIR</c> environment variable, then <c>/usr/lib/rabbitmq/bin</c> (Debian, Ubuntu) and the
    /// Homebrew and generic-unix locations. Debian's <c>/usr/sbin</c> wrappers are never used: run as root they
    /// <c>su</c> to the rabbitmq user, and as anyone else they refuse.
    /// </summary>
    public string? ScriptsDirectory { get; init; }

    /// <summary>The <c>epmd</c> executable; <c>epmd</c> on the PATH by default.</summary>
    public string Epmd { get; init; } = "epmd";

    /// <summary>
    /// Extra <c>rabbitmq.conf</c> lines (<c>heartbeat = 2</c>, <c>channel_max = 16</c>, …), appended after the
    /// launcher's own (loopback listener, no console log, a 1 MB disk free limit).
    /// </summary>
    public IReadOnlyList<string> ConfigLines { get; init; } = [];

    /// <summary>How long a start (or restart) may take before it fails with the tail of the broker's log.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a graceful stop (SIGTERM) may take before the node is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one <see cref="RabbitMqBroker.RunCtlAsync(string[])"/> may take.</summary>
    public TimeSpan CtlTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a small <c>sh</c> watchdog kills the node and its epmd (by pid) and removes the temp directory when
    /// this process dies without disposing the broker (a crashed or killed test host). On by default.
    /// </summary>
    public bool Watchdog { get; init; } = true;

    /// <summary>Where the temp directory is made; null is the system temp folder.</summary>
    public string? TempRoot { get; init; }
}
