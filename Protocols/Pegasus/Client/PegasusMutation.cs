namespace ReactiveKv.Pegasus;

/// <summary>One write of a check_and_mutate: put a value (with an optional TTL) or delete a sort key.</summary>
public sealed record PegasusMutation
{
    private PegasusMutation(bool isDelete, byte[] sortKey, byte[] value, TimeSpan? ttl)
    {
        IsDelete = isDelete;
        SortKey = sortKey;
        Value = value;
        Ttl = ttl;
    }

    /// <summary>True for a delete, false for a put.</summary>
    public bool IsDelete { get; }

    /// <summary>The sort key written or deleted.</summary>
    public byte[] SortKey { get; }

    /// <summary>The value put (empty for a delete).</summary>
    public byte[] Value { get; }

    /// <summary>Time to live of a put.</summary>
    public TimeSpan? Ttl { get; }

    /// <summary>Puts <paramref name="value"/> under <paramref name="sortKey"/>.</summary>
    public static PegasusMutation Put(byte[] sortKey, byte[] value, TimeSpan? ttl = null) => new(false, sortKey, value, ttl);

    /// <summary>Deletes <paramref name="sortKey"/>.</summary>
    public static PegasusMutation Delete(byte[] sortKey) => new(true, sortKey, [], null);
}
