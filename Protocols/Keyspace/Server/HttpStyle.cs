namespace ReactiveKv.Keyspace;

/// <summary>How an HTTP API command answers (§11.2).</summary>
internal enum HttpStyle
{
    /// <summary>The value bytes (get, dirtyget, add, remove, testandset, count).</summary>
    Value,

    /// <summary><c>OK</c> / <c>Failed</c> (set, setexpiry, removeexpiry, clearexpiries).</summary>
    Status,

    /// <summary><c>OK</c> / <c>Key not found</c> (delete, rename, prune).</summary>
    Found,

    /// <summary>One key per line.</summary>
    Keys,

    /// <summary><c>key =&gt; value</c> per line.</summary>
    KeyValues,
}
