namespace ReactiveKv.Redis;

/// <summary>Takes over a command whose reply says it belongs elsewhere (MOVED, ASK) or later (TRYAGAIN, CLUSTERDOWN).</summary>
internal interface IRedirectHandler
{
    /// <summary>
    /// Called on the connection's loop with the error reply's text; true when the command will be sent again (its
    /// Deferred stays pending), false to deliver the error to the caller.
    /// </summary>
    bool TryRedirect(RedisCommand command, string error);
}
