namespace ReactiveKv.Pegasus;

/// <summary>How a key filter pattern is matched.</summary>
public enum FilterType
{
    /// <summary>No filter.</summary>
    None = 0,

    /// <summary>The key contains the pattern.</summary>
    MatchAnywhere = 1,

    /// <summary>The key starts with the pattern.</summary>
    MatchPrefix = 2,

    /// <summary>The key ends with the pattern.</summary>
    MatchPostfix = 3,
}
