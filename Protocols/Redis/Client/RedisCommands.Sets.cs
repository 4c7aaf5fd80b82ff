namespace ReactiveKv.Redis;

/// <summary>Set commands.</summary>
public abstract partial class RedisCommands
{
    /// <summary>SADD: the number of new members.</summary>
    public Deferred<long> SAdd(RedisValue key, params RedisValue[] members) => Run("SADD", Replies.Integer, Args(key, members));

    /// <summary>SREM: the number removed.</summary>
    public Deferred<long> SRem(RedisValue key, params RedisValue[] members) => Run("SREM", Replies.Integer, Args(key, members));

    /// <summary>SMEMBERS.</summary>
    public Deferred<string?[]> SMembers(RedisValue key) => Run("SMEMBERS", Replies.Strings, key);

    /// <summary>SISMEMBER.</summary>
    public Deferred<bool> SIsMember(RedisValue key, RedisValue member) => Run("SISMEMBER", Replies.Boolean, key, member);

    /// <summary>SCARD.</summary>
    public Deferred<long> SCard(RedisValue key) => Run("SCARD", Replies.Integer, key);

    /// <summary>SINTER.</summary>
    public Deferred<string?[]> SInter(params RedisValue[] keys) => Run("SINTER", Replies.Strings, keys);

    /// <summary>SUNION.</summary>
    public Deferred<string?[]> SUnion(params RedisValue[] keys) => Run("SUNION", Replies.Strings, keys);

    /// <summary>SDIFF.</summary>
    public Deferred<string?[]> SDiff(params RedisValue[] keys) => Run("SDIFF", Replies.Strings, keys);

    /// <summary>SINTERSTORE: the size of the stored set.</summary>
    public Deferred<long> SInterStore(RedisValue destination, params RedisValue[] keys) => Run("SINTERSTORE", Replies.Integer, Args(destination, keys));

    /// <summary>SUNIONSTORE.</summary>
    public Deferred<long> SUnionStore(RedisValue destination, params RedisValue[] keys) => Run("SUNIONSTORE", Replies.Integer, Args(destination, keys));

    /// <summary>SDIFFSTORE.</summary>
    public Deferred<long> SDiffStore(RedisValue destination, params RedisValue[] keys) => Run("SDIFFSTORE", Replies.Integer, Args(destination, keys));

    /// <summary>SMOVE: true when moved.</summary>
    public Deferred<bool> SMove(RedisValue source, RedisValue destination, RedisValue member) => Run("SMOVE", Replies.Boolean, source, destination, member);

    /// <summary>SPOP of one member.</summary>
    public Deferred<string?> SPop(RedisValue key) => Run("SPOP", Replies.String, key);

    /// <summary>SPOP of up to <paramref name="count"/> members.</summary>
    public Deferred<string?[]> SPop(RedisValue key, long count) => Run("SPOP", Replies.Strings, key, count);

    /// <summary>SRANDMEMBER of one member.</summary>
    public Deferred<string?> SRandMember(RedisValue key) => Run("SRANDMEMBER", Replies.String, key);

    /// <summary>SRANDMEMBER with a count (negative allows repeats).</summary>
    public Deferred<string?[]> SRandMember(RedisValue key, long count) => Run("SRANDMEMBER", Replies.Strings, key, count);
}
