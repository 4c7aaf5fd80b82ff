namespace ReactiveKv.Pegasus;

/// <summary>Range options of a multi_get over one hash key (Java's <c>MultiGetOptions</c>).</summary>
public sealed record MultiGetOptions
{
    /// <summary>Include the start sort key.</summary>
    public bool StartInclusive { get; init; } = true;

    /// <summary>Include the stop sort key (ignored when the stop key is empty: the range is open).</summary>
    public bool StopInclusive { get; init; }

    /// <summary>Sort key filter.</summary>
    public FilterType SortKeyFilterType { get; init; }

    /// <summary>Sort key filter pattern; empty matches everything.</summary>
    public byte[] SortKeyFilterPattern { get; init; } = [];

    /// <summary>Return sort keys only.</summary>
    public bool NoValue { get; init; }

    /// <summary>Read from the stop end (results stay in ascending order).</summary>
    public bool Reverse { get; init; }
}
