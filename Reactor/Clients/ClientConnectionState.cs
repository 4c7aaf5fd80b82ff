namespace ReactiveKv;

/// <summary>Where a client's connection stands, as its health check reads it.</summary>
public enum ClientConnectionState
{
    /// <summary>No connection and none being made: a lazy client not used yet, or one that went quiet after a loss.</summary>
    Idle,

    /// <summary>The first connection is being made and no attempt has failed yet.</summary>
    Connecting,

    /// <summary>Every connection in use is ready.</summary>
    Connected,

    /// <summary>A connection was lost (or only some of a client's connections are ready) and the client is reconnecting.</summary>
    Reconnecting,

    /// <summary>The client never reached the server (every attempt so far failed), or its reconnect policy gave up.</summary>
    Unreachable,

    /// <summary>The client was disposed.</summary>
    Closed,
}
