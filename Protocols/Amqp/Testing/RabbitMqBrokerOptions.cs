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

    /// <summary>
    /// Plugins to enable (written to the node's <c>enabled_plugins</c> file), e.g. <c>rabbitmq_auth_mechanism_ssl</c>;
    /// none by default. <see cref="ExternalAuth"/> adds the plugin it needs itself.
    /// </summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>
    /// The broker's certificate (PEM) for an AMQPS listener on another free loopback port
    /// (<see cref="RabbitMqBroker.TlsPort"/>); the listener is added when this, <see cref="TlsKeyFile"/> and
    /// <see cref="TlsCaFile"/> are all set. Erlang's ssl reads PEM files only.
    /// </summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>The private key (PEM, unencrypted) of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>
    /// The CA certificate(s) (PEM) the broker trusts for client certificates (<c>ssl_options.cacertfile</c>); the
    /// listener verifies a client certificate when one is presented (<c>verify_peer</c>).
    /// </summary>
    public string? TlsCaFile { get; init; }

    /// <summary>Whether the TLS listener refuses clients without a certificate (<c>ssl_options.fail_if_no_peer_cert</c>); off by default.</summary>
    public bool TlsRequireClientCertificate { get; init; }

    /// <summary>
    /// Whether the broker offers EXTERNAL authentication besides PLAIN: enables <c>rabbitmq_auth_mechanism_ssl</c>
    /// and logs a TLS client in as its certificate's common name (<c>ssl_cert_login_from = common_name</c>). That
    /// user must exist (<c>rabbitmqctl add_user</c>; its password is not used). Needs the TLS listener.
    /// </summary>
    public bool ExternalAuth { get; init; }

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
