namespace ReactiveKv;

/// <summary>
/// How a client reconnects: exponential backoff from <see cref="InitialDelay"/> up to <see cref="MaxDelay"/>, with
/// Twisted's jitter. The delay starts again from the beginning after every successful connection.
/// </summary>
public sealed record ReconnectPolicy
{
    /// <summary>The default: 50 ms doubling up to 5 s, with jitter, forever.</summary>
    public static ReconnectPolicy Default { get; } = new();

    /// <summary>Never reconnect: a lost connection fails every later request.</summary>
    public static ReconnectPolicy Never { get; } = new() { MaxRetries = 0 };

    /// <summary>The delay the backoff grows from: the first retry waits <see cref="InitialDelay"/> × <see cref="Factor"/> (Twisted's rule).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How much each delay grows.</summary>
    public double Factor { get; init; } = 2;

    /// <summary>Relative standard deviation of the random spread applied to each delay.</summary>
    public double Jitter { get; init; } = 0.119626565582;

    /// <summary>How many attempts in a row may fail before the client gives up; null for no limit.</summary>
    public int? MaxRetries { get; init; }
}
