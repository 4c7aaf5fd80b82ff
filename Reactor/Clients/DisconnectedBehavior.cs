namespace ReactiveKv;

/// <summary>What a client does with a request made while it has no usable connection (Lettuce's DisconnectedBehavior).</summary>
public enum DisconnectedBehavior
{
    /// <summary>The request waits in the bounded backlog until a connection is up or its deadline passes.</summary>
    Queue,

    /// <summary>
    /// Once a connection attempt has failed, requests fail at once (and those waiting are failed) until a connection
    /// is up again; requests made during the very first attempt still wait for it.
    /// </summary>
    FailFast,
}
