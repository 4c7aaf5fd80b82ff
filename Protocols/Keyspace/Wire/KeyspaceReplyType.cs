namespace ReactiveKv.Keyspace;

/// <summary>The reply letters of the client protocol (spec §5); each value is the letter's byte.</summary>
internal enum KeyspaceReplyType : byte
{
    /// <summary><c>o</c>: success, with or without a value.</summary>
    Ok = (byte)'o',

    /// <summary><c>f</c>: failed, or rejected when the connection closes right after (§8.3).</summary>
    Failed = (byte)'f',

    /// <summary><c>n</c>: no master known (get-master), or the lease was lost before the op completed.</summary>
    NotMaster = (byte)'n',

    /// <summary><c>i</c>: one key of a list-keys reply.</summary>
    ListItem = (byte)'i',

    /// <summary><c>j</c>: one key-value pair of a list-key-values reply.</summary>
    ListPairItem = (byte)'j',

    /// <summary><c>.</c>: the end of a list reply.</summary>
    ListEnd = (byte)'.',
}
