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

    public bool IsWrite => Letter is (byte)'s' or (byte)'t' or (byte)'a' or (byte)'e' or (byte)'d' or (byte)'r' or (byte)'z' or (byte)'x' or (byte)'X' or (byte)'w';

    public bool IsSafeRead => Letter is (byte)'g' or (byte)'l' or (byte)'p' or (byte)'c';

    public bool IsDirtyRead => Letter is (byte)'G' or (byte)'L' or (byte)'P' or (byte)'C';

    /// <summary>Bytes the write adds to a replicated round (the round closes itself near 500 000, §6).</summary>
    public int Size => 16 + Key.Length + Value.Length + Test.Length + Prefix.Length;
}
