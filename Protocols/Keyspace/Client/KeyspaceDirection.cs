namespace ReactiveKv.Keyspace;

/// <summary>Which way a listing or count walks the keys (bytewise order).</summary>
public enum KeyspaceDirection
{
    /// <summary>Upward from the start key (the wire's <c>1:f</c>).</summary>
    Forward,

    /// <summary>Downward from the start key (the wire's <c>1:b</c>).</summary>
    Backward,
}
