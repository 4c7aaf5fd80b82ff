namespace ReactiveKv.Keyspace;

/// <summary>The 1.9.0 server's limits (spec §9; "KB" there is 1000 bytes).</summary>
public static class KeyspaceLimits
{
    /// <summary>Longest key the server accepts; a longer one closes the connection.</summary>
    public const int MaxKeyBytes = 1000;

    /// <summary>Longest value (or test value) the server accepts; a longer one closes the connection.</summary>
    public const int MaxValueBytes = 100_000;

    /// <summary>Largest frame body the server reads (its 1000 + 2·100 000 + 1000 byte buffer).</summary>
    public const int MaxFrameBodyBytes = 202_000;

    /// <summary>Most keys a list returns per page (the server's chunk).</summary>
    public const int ListPage = 1000;
}
