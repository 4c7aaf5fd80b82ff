namespace ReactiveKv.Keyspace;

/// <summary>
/// One parsed client request as the cluster runs it, whatever the wire model looks like: the letter of §4, the id,
/// and the fields that letter carries (unused ones are empty or zero).
/// </summary>
internal sealed record ServerRequest(byte Letter, ulong Id)
{
    public byte[] Key { get; init; } = [];

    /// <summary>The new value (set, test-and-set) or the rename target.</summary>
    public byte[] Value { get; init; } = [];

    public byte[] Test { get; init; } = [];

    public byte[] Prefix { get; init; } = [];

    /// <summary>The start key, relative to the prefix (§7.6).</summary>
    public byte[] StartKey { get; init; } = [];

    /// <summary>The list/count limit; 0 means none.</summary>
    public ulong Count { get; init; }

    public ulong Offset { get; init; }

    public bool Backward { get; init; }

    /// <summary>The add delta, already wrapped to signed 64 bits.</summary>
    public long Delta { get; init; }

    /// <summary>The set-expiry seconds.</summary>
    public ulong Seconds { get; init; }

    // The wire model's classification of §4's letters; the server keeps no second list of them.
    public bool IsWrite => KeyspaceRequest.IsWrite((KeyspaceCommand)Letter);

    public bool IsSafeRead => KeyspaceRequest.IsMasterOnly((KeyspaceCommand)Letter) && !IsWrite;

    public bool IsDirtyRead => Letter is (byte)'G' or (byte)'L' or (byte)'P' or (byte)'C';

    /// <summary>Bytes the write adds to a replicated round (the round closes itself near 500 000, §6).</summary>
    public int Size => 16 + Key.Length + Value.Length + Test.Length + Prefix.Length;
}
