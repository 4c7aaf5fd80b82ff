namespace ReactiveKv;

/// <summary>
/// The options every backend client shares, under the same names everywhere. A backend's options type carries one
/// of these (or maps its own settings onto it).
/// </summary>
public sealed record ClientConnectionOptions
{
    /// <summary>How long one connection attempt (including the backend's handshake) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The default deadline of a request, from the call to its reply; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How the connection is made again after a loss or a failed attempt.</summary>
    public ReconnectPolicy Reconnect { get; init; } = ReconnectPolicy.Default;

    /// <summary>How many requests may wait for a connection (or for room in the in-flight window) before new ones are refused.</summary>
    public int MaxBacklog { get; init; } = 100_000;

    /// <summary>How many written requests may wait for their replies at once; the rest wait in the backlog.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>What happens to requests made while no connection is usable.</summary>
    public DisconnectedBehavior DisconnectedBehavior { get; init; } = DisconnectedBehavior.Queue;

    /// <summary>
    /// Connect on the first request rather than at once, and after a loss only when requests are waiting (for clients
    /// that hold many sessions, like one per Pegasus replica).
    /// </summary>
    public bool ConnectLazily { get; init; }

    /// <summary>
    /// Where the service reports its connection events and state (shared by every connection of one client); null: a
    /// monitor of its own.
    /// </summary>
    public ClientConnectionMonitor? Monitor { get; init; }

    /// <summary>The reactor loop the connection runs on (<see cref="IClientOptions.Loop"/>); null picks the reactor's next one.</summary>
    public EventLoop? Loop { get; init; }

    /// <summary>The service settings for a backend's options.</summary>
    public static ClientConnectionOptions From(IClientOptions options, bool connectLazily) => new()
    {
        ConnectTimeout = options.ConnectTimeout,
        OperationTimeout = options.OperationTimeout,
        Reconnect = options.Reconnect,
        MaxBacklog = options.MaxBacklog,
        MaxInFlight = options.MaxInFlight,
        DisconnectedBehavior = options.DisconnectedBehavior,
        ConnectLazily = connectLazily,
        Monitor = options.Monitor,
        Loop = options.Loop,
    };

    /// <summary>Checks the values, naming the first bad one.</summary>
    public ClientConnectionOptions Validate()
    {
        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "ConnectTimeout must be positive.");
        }

        if (OperationTimeout <= TimeSpan.Zero && OperationTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout, "OperationTimeout must be positive, or Timeout.InfiniteTimeSpan.");
        }

        if (MaxBacklog < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBacklog), MaxBacklog, "MaxBacklog cannot be negative.");
        }

        if (MaxInFlight < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInFlight), MaxInFlight, "MaxInFlight must be at least 1.");
        }

        return this;
    }
}
