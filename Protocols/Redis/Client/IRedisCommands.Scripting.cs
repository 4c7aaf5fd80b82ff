namespace ReactiveKv.Redis;

/// <summary>Scripting commands of <see cref="IRedisCommands"/>.</summary>
public partial interface IRedisCommands
{
    /// <summary>Runs a Lua script; the server's script cache is used whenever it has the script.</summary>
    Deferred<RespValue> Eval(string script, RedisValue[]? keys = null, RedisValue[]? arguments = null, CancellationToken cancellationToken = default);

    /// <summary>EVALSHA of a script loaded earlier.</summary>
    Deferred<RespValue> EvalSha(string sha1, RedisValue[]? keys = null, RedisValue[]? arguments = null, CancellationToken cancellationToken = default);

    /// <summary>SCRIPT LOAD: caches the script on the server and returns its SHA1.</summary>
    Deferred<string?> ScriptLoad(string script, CancellationToken cancellationToken = default);

    /// <summary>SCRIPT EXISTS for each SHA1.</summary>
    Deferred<bool[]> ScriptExists(params RedisValue[] sha1s);

    /// <summary>SCRIPT EXISTS for each SHA1.</summary>
    Deferred<bool[]> ScriptExists(RedisValue[] sha1s, CancellationToken cancellationToken);
}
