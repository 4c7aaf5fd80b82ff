namespace ReactiveKv.Pegasus;

/// <summary>Options of a scanner (Java's <c>ScanOptions</c>).</summary>
public sealed record ScanOptions
{
    /// <summary>Rows per server round trip.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Include the start key.</summary>
    public bool StartInclusive { get; init; } = true;

    /// <summary>Include the stop key.</summary>
    public bool StopInclusive { get; init; }

    /// <summary>Hash key filter.</summary>
    public FilterType HashKeyFilterType { get; init; }

    /// <summary>Hash key filter pattern.</summary>
    public byte[] HashKeyFilterPattern { get; init; } = [];

    /// <summary>Sort key filter.</summary>
    public FilterType SortKeyFilterType { get; init; }

    /// <summary>Sort key filter pattern.</summary>
    public byte[] SortKeyFilterPattern { get; init; } = [];

    /// <summary>Return keys only.</summary>
    public bool NoValue { get; init; }

    /// <summary>Ask the server for each row's expiry (the records then carry it nowhere but the wire; kept for parity).</summary>
    public bool ReturnExpireTs { get; init; }

    /// <summary>Count rows on the server instead of returning them (<see cref="PegasusTable.Count(ScanOptions, CancellationToken)"/>).</summary>
    public bool OnlyReturnCount { get; init; }

    /// <summary>Tell servers with prefix bloom filters to iterate in total order (unordered scanners set it).</summary>
    public bool FullScan { get; init; }

    /// <summary>Deadline of each batch request; null uses the client's operation timeout.</summary>
    public TimeSpan? Timeout { get; init; }
}
