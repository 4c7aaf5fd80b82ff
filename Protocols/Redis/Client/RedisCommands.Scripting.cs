using System.Reactive.Linq;
using System.Security.Cryptography;
using System.Text;

namespace ReactiveKv.Redis;

/// <summary>Scripting: EVAL is sent as EVALSHA first and falls back to EVAL when the server answers NOSCRIPT.</summary>
public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public Deferred<RespValue> Eval(string script, RedisValue[]? keys = null, RedisValue[]? arguments = null, CancellationToken cancellationToken = default)
    {
        if (Canceled<RespValue>(cancellationToken) is { } canceled)
        {
            return canceled;
        }

        keys ??= [];
        arguments ??= [];
        if (!ScriptCacheUsable)
        {
            return Run("EVAL", Replies.Any, [script, keys.Length, .. keys, .. arguments]).WithCancellation(cancellationToken);
        }

        var sha = Sha1(script);
        var bySha = Run("EVALSHA", Replies.Any, [sha, keys.Length, .. keys, .. arguments]);
        return bySha
            .Catch((RedisReplyException e) => e.Prefix == "NOSCRIPT"
                ? Run("EVAL", Replies.Any, [script, keys.Length, .. keys, .. arguments])
                : Observable.Throw<RespValue>(e))
            .ToDeferred().WithCancellation(cancellationToken);
    }

    /// <inheritdoc/>
    public Deferred<RespValue> EvalSha(string sha1, RedisValue[]? keys = null, RedisValue[]? arguments = null, CancellationToken cancellationToken = default)
    {
        if (Canceled<RespValue>(cancellationToken) is { } canceled)
        {
            return canceled;
        }

        keys ??= [];
        arguments ??= [];
        return Run("EVALSHA", Replies.Any, [sha1, keys.Length, .. keys, .. arguments]).WithCancellation(cancellationToken);
    }

    /// <inheritdoc/>
    public Deferred<string?> ScriptLoad(string script, CancellationToken cancellationToken = default) =>
        Canceled<string?>(cancellationToken) ?? Run(new RedisCommand<string?>("SCRIPT", -1, ["LOAD", script], Replies.String)).WithCancellation(cancellationToken);

    /// <inheritdoc/>
    public Deferred<bool[]> ScriptExists(params RedisValue[] sha1s) =>
        Run(new RedisCommand<bool[]>("SCRIPT", -1, ["EXISTS", .. sha1s], static (in RawReply r) => [.. Replies.Strings(r).Select(s => s == "1")]));

    /// <inheritdoc/>
    public Deferred<bool[]> ScriptExists(RedisValue[] sha1s, CancellationToken cancellationToken) =>
        Canceled<bool[]>(cancellationToken) ?? ScriptExists(sha1s).WithCancellation(cancellationToken);

    /// <summary>False where a NOSCRIPT answer cannot be retried (inside MULTI or a batch): there EVAL is sent directly.</summary>
    private protected virtual bool ScriptCacheUsable => true;

    /// <summary>The SHA1 Redis uses to name a script.</summary>
    public static string Sha1(string script) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(script)));
}
