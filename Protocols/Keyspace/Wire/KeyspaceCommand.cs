namespace ReactiveKv.Keyspace;

/// <summary>The request letters of the client protocol (spec §4); each value is the letter's byte.</summary>
internal enum KeyspaceCommand : byte
{
    /// <summary><c>m</c>: which node is master; any node answers.</summary>
    GetMaster = (byte)'m',

    /// <summary><c>g</c>: safe get, master only.</summary>
    Get = (byte)'g',

    /// <summary><c>G</c>: dirty get from any node's copy.</summary>
    DirtyGet = (byte)'G',

    /// <summary><c>l</c>: safe list of keys.</summary>
    ListKeys = (byte)'l',

    /// <summary><c>L</c>: dirty list of keys.</summary>
    DirtyListKeys = (byte)'L',

    /// <summary><c>p</c>: safe list of key-value pairs.</summary>
    ListKeyValues = (byte)'p',

    /// <summary><c>P</c>: dirty list of key-value pairs.</summary>
    DirtyListKeyValues = (byte)'P',

    /// <summary><c>c</c>: safe count.</summary>
    Count = (byte)'c',

    /// <summary><c>C</c>: dirty count.</summary>
    DirtyCount = (byte)'C',

    /// <summary><c>s</c>: set (write).</summary>
    Set = (byte)'s',

    /// <summary><c>t</c>: test-and-set (write).</summary>
    TestAndSet = (byte)'t',

    /// <summary><c>a</c>: add a signed delta (write).</summary>
    Add = (byte)'a',

    /// <summary><c>e</c>: rename (write).</summary>
    Rename = (byte)'e',

    /// <summary><c>d</c>: delete (write).</summary>
    Delete = (byte)'d',

    /// <summary><c>r</c>: remove, returning the old value (write).</summary>
    Remove = (byte)'r',

    /// <summary><c>z</c>: prune every key with a prefix (write).</summary>
    Prune = (byte)'z',

    /// <summary><c>x</c>: set an expiry in seconds (write).</summary>
    SetExpiry = (byte)'x',

    /// <summary><c>X</c>: remove an expiry (write).</summary>
    RemoveExpiry = (byte)'X',

    /// <summary><c>w</c>: clear every expiry (write).</summary>
    ClearExpiries = (byte)'w',

    /// <summary><c>*</c>: submit the queued writes; no id, no reply.</summary>
    Submit = (byte)'*',
}
