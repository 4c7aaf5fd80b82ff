using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Redis;

[Trait("Category", "Unit")]
public class ClusterCommandKeysTests
{
    /// <summary>
    /// Command lines (split on spaces, the first word is the command) and the 0-based indexes of their keys among
    /// the arguments. Keys are named k0…k9 so the server cross-check (<see cref="ClusterServerCrossCheckTests"/>)
    /// can compare names. Shared with it.
    /// </summary>
    public static TheoryData<string, string> Lines => new()
    {
        // First key only.
        { "GET k1", "0" },
        { "SET k1 v EX 10", "0" },
        { "INCR k1", "0" },
        { "HSET k1 f v f2 v2", "0" },
        { "LPUSH k1 a b", "0" },
        { "ZADD k1 1 m", "0" },
        { "XADD k1 * f v", "0" },
        { "EXPIRE k1 10", "0" },
        { "TTL k1", "0" },
        { "TYPE k1", "0" },
        { "DUMP k1", "0" },
        { "RESTORE k1 0 payload", "0" },
        { "GETDEL k1", "0" },
        { "SPUBLISH k1 message", "0" },
        // Every argument.
        { "DEL k1 k2 k3", "0,1,2" },
        { "UNLINK k1 k2", "0,1" },
        { "EXISTS k1 k2", "0,1" },
        { "TOUCH k1 k2", "0,1" },
        { "MGET k1 k2 k3", "0,1,2" },
        { "WATCH k1 k2", "0,1" },
        { "SINTER k1 k2", "0,1" },
        { "SUNION k1 k2", "0,1" },
        { "SDIFF k1 k2", "0,1" },
        { "PFCOUNT k1 k2", "0,1" },
        // Every second argument.
        { "MSET k1 v1 k2 v2", "0,2" },
        { "MSETNX k1 v1 k2 v2 k3 v3", "0,2,4" },
        // All but the timeout.
        { "BLPOP k1 k2 0", "0,1" },
        { "BRPOP k1 0", "0" },
        { "BZPOPMIN k1 k2 1.5", "0,1" },
        { "BZPOPMAX k1 k2 0", "0,1" },
        // Two keys.
        { "RENAME k1 k2", "0,1" },
        { "RENAMENX k1 k2", "0,1" },
        { "RPOPLPUSH k1 k2", "0,1" },
        { "LMOVE k1 k2 LEFT RIGHT", "0,1" },
        { "BLMOVE k1 k2 LEFT RIGHT 0", "0,1" },
        { "BRPOPLPUSH k1 k2 0", "0,1" },
        { "SMOVE k1 k2 m", "0,1" },
        { "COPY k1 k2 REPLACE", "0,1" },
        { "GEORADIUS k1 0 0 10 km STORE k2", "0,6" },
        { "GEORADIUS k1 0 0 10 km WITHDIST STOREDIST k2", "0,7" },
        { "GEORADIUSBYMEMBER k1 m 10 km STORE k2", "0,5" },
        { "GEORADIUS k1 0 0 10 km", "0" },
        // Destination and sources.
        { "SINTERSTORE k0 k1 k2", "0,1,2" },
        { "SUNIONSTORE k0 k1", "0,1" },
        { "SDIFFSTORE k0 k1 k2", "0,1,2" },
        { "ZUNIONSTORE k0 2 k1 k2 WEIGHTS 1 2", "0,2,3" },
        { "ZINTERSTORE k0 1 k1", "0,2" },
        { "ZDIFFSTORE k0 2 k1 k2", "0,2,3" },
        { "BITOP AND k0 k1 k2", "1,2,3" },
        { "PFMERGE k0 k1 k2", "0,1,2" },
        // numkeys.
        { "EVAL return 2 k1 k2 a1", "2,3" },
        { "EVALSHA 0123456789012345678901234567890123456789 1 k1 a1", "2" },
        { "EVAL_RO return 0 a1", "" },
        { "FCALL f 1 k1 a1", "2" },
        { "FCALL_RO f 2 k1 k2", "2,3" },
        { "ZUNION 2 k1 k2", "1,2" },
        { "ZINTER 1 k1 WITHSCORES", "1" },
        { "ZDIFF 2 k1 k2", "1,2" },
        { "LMPOP 2 k1 k2 LEFT", "1,2" },
        { "ZMPOP 1 k1 MIN COUNT 2", "1" },
        { "SINTERCARD 2 k1 k2 LIMIT 1", "1,2" },
        { "ZINTERCARD 2 k1 k2", "1,2" },
        { "BLMPOP 0 2 k1 k2 LEFT", "2,3" },
        { "BZMPOP 1.5 1 k1 MAX", "2" },
        // Keys after a keyword.
        { "XREAD COUNT 2 STREAMS k1 k2 0 0", "3,4" },
        { "XREAD streams k1 $", "1" },
        { "XREADGROUP GROUP g c COUNT 1 STREAMS k1 k2 > >", "6,7" },
        { "SORT k1", "0" },
        { "SORT k1 BY w* LIMIT 0 10 GET # STORE k2", "0,9" },
        { "SORT k1 STORE k2 STORE k3", "0,4" },
        { "SORT_RO k1 BY w*", "0" },
        { "MIGRATE 127.0.0.1 6379 k1 0 5000", "2" },
        // Subcommands.
        { "OBJECT ENCODING k1", "1" },
        { "object freq k1", "1" },
        { "MEMORY USAGE k1 SAMPLES 5", "1" },
        { "XINFO STREAM k1", "1" },
        { "XGROUP CREATE k1 g $ MKSTREAM", "1" },
        { "OBJECT HELP", "" },
        // No keys.
        { "PUBLISH ch message", "" },
        { "PING", "" },
        { "INFO", "" },
        { "DBSIZE", "" },
        { "KEYS *", "" },
        { "SCAN 0", "" },
        { "FLUSHALL", "" },
        { "SCRIPT FLUSH", "" },
        { "CLUSTER INFO", "" },
        { "CONFIG GET maxmemory", "" },
        { "TIME", "" },
        { "ECHO hi", "" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void FindsTheKeys(string line, string expected)
    {
        var (command, arguments) = Split(line);
        var keys = new List<int>();
        Assert.True(CommandKeys.TryFind(command, arguments, keys));
        Assert.Equal(expected, string.Join(',', keys));
    }

    [Fact]
    public void UnknownCommandsAreNotInTheTable()
    {
        var keys = new List<int>();
        Assert.False(CommandKeys.TryFind("NOSUCHCOMMAND", ["k1"], keys));
        Assert.Empty(keys);
    }

    [Fact]
    public void MigrateWithKeysSkipsTheEmptyPlaceholder()
    {
        var keys = new List<int> { 42 };
        Assert.True(CommandKeys.TryFind("MIGRATE", ["127.0.0.1", 6379, "", 0, 5000, "KEYS", "k1", "k2"], keys));
        // Adds after what the list held, and keeps it.
        Assert.Equal([42, 6, 7], keys);
    }

    [Fact]
    public void KeywordsAndCountsInAnyRedisValueForm()
    {
        var keys = new List<int>();
        Assert.True(CommandKeys.TryFind("XREAD", ["COUNT", 5, "streams"u8.ToArray(), "k1", "k2", "0", "0"], keys));
        Assert.Equal([3, 4], keys);
        keys.Clear();
        Assert.True(CommandKeys.TryFind("EVAL", ["return 1", 2, "k1", "k2", "a"], keys));
        Assert.Equal([2, 3], keys);
        keys.Clear();
        Assert.True(CommandKeys.TryFind("ZUNIONSTORE", ["k0", "2"u8.ToArray(), "k1", "k2"], keys));
        Assert.Equal([0, 2, 3], keys);
    }

    [Fact]
    public void MalformedLinesGiveNoMoreKeysThanArguments()
    {
        var keys = new List<int>();
        // numkeys larger than the arguments, not a number, or missing: the server reports the error.
        Assert.True(CommandKeys.TryFind("EVAL", ["return 1", 5, "k1"], keys));
        Assert.All(keys, index => Assert.InRange(index, 0, 2));
        keys.Clear();
        Assert.True(CommandKeys.TryFind("EVAL", ["return 1", "x", "k1"], keys));
        Assert.Empty(keys);
        Assert.True(CommandKeys.TryFind("EVAL", ["return 1"], keys));
        Assert.Empty(keys);
        Assert.True(CommandKeys.TryFind("GET", [], keys));
        Assert.Empty(keys);
        Assert.True(CommandKeys.TryFind("XREAD", ["STREAMS"], keys));
        Assert.Empty(keys);
        Assert.True(CommandKeys.TryFind("OBJECT", [], keys));
        Assert.Empty(keys);
    }

    [Fact]
    public void SingleKeyLookupDoesNotAllocate()
    {
        RedisValue[] arguments = ["user:1"];
        RedisValue[] set = ["user:1", "value", "EX", 10];
        var keys = new List<int>(4);
        CommandKeys.TryFind("GET", arguments, keys);
        keys.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            CommandKeys.TryFind("GET", arguments, keys);
            CommandKeys.TryFind("SET", set, keys);
            keys.Clear();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static (string Command, RedisValue[] Arguments) Split(string line)
    {
        var words = line.Split(' ');
        return (words[0].ToUpperInvariant(), words[1..].Select(word => (RedisValue)word).ToArray());
    }
}
