namespace ReactiveKv.Redis;

/// <summary>
/// Commands a cluster runs in parts: multi-key commands split per slot (MGET, MSET, DEL, UNLINK, EXISTS, TOUCH) with
/// their replies put back in the caller's order, and keyless commands about the whole keyspace (KEYS, DBSIZE,
/// FLUSHALL, FLUSHDB, SCRIPT LOAD/EXISTS/FLUSH) run on every primary with their replies merged.
/// </summary>
internal static class ClusterFanOut
{
    private static readonly HashSet<string> Splittable = new(StringComparer.Ordinal) { "MGET", "MSET", "DEL", "UNLINK", "EXISTS", "TOUCH" };

    private static readonly HashSet<string> OnEveryPrimary = new(StringComparer.Ordinal) { "KEYS", "DBSIZE", "FLUSHALL", "FLUSHDB", "SCRIPT" };

    // Read-only commands a replica may answer after READONLY (ReadFromReplicas); anything else goes to the primary.
    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal)
    {
        "GET", "MGET", "STRLEN", "GETRANGE", "SUBSTR", "EXISTS", "TYPE", "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME",
        "HGET", "HMGET", "HGETALL", "HKEYS", "HVALS", "HLEN", "HEXISTS", "HSTRLEN", "HRANDFIELD", "HSCAN",
        "LRANGE", "LLEN", "LINDEX", "LPOS", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "SRANDMEMBER", "SSCAN",
        "SINTER", "SUNION", "SDIFF", "SINTERCARD", "ZRANGE", "ZRANGEBYSCORE", "ZREVRANGE", "ZREVRANGEBYSCORE",
        "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZSCORE", "ZMSCORE", "ZCARD", "ZCOUNT", "ZLEXCOUNT", "ZRANK", "ZREVRANK",
        "ZRANDMEMBER", "ZSCAN", "ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD", "XRANGE", "XREVRANGE", "XLEN", "XREAD",
        "XINFO", "XPENDING", "GETBIT", "BITCOUNT", "BITPOS", "BITFIELD_RO", "PFCOUNT", "GEOPOS", "GEODIST", "GEOHASH",
        "GEOSEARCH", "GEORADIUS_RO", "GEORADIUSBYMEMBER_RO", "DUMP", "OBJECT", "MEMORY", "EVAL_RO", "EVALSHA_RO", "FCALL_RO",
        "SORT_RO", "LCS",
    };

    public static bool IsReadOnly(string command) => ReadOnly.Contains(command);

    /// <summary>Splits a multi-key command whose keys span slots into one command per slot; false when it cannot be split.</summary>
    public static bool TrySplit<T>(RedisClusterRouter router, RedisCommand<T> command, TimeSpan? timeout)
    {
        if (!Splittable.Contains(command.Name))
        {
            return false;
        }

        var arguments = command.Arguments;
        var step = command.Name == "MSET" ? 2 : 1;
        if (arguments.Length % step != 0)
        {
            return false;
        }

        // Slots in the order the caller first named them; each keeps the positions of its keys.
        var order = new List<int>();
        var positions = new Dictionary<int, List<int>>();
        for (var i = 0; i < arguments.Length; i += step)
        {
            var slot = HashSlot.Of(arguments[i]);
            if (!positions.TryGetValue(slot, out var list))
            {
                positions[slot] = list = [];
                order.Add(slot);
            }

            list.Add(i / step);
        }

        var parts = new List<Deferred<T>>(order.Count);
        var placed = new List<List<int>>(order.Count);
        foreach (var slot in order)
        {
            var indexes = positions[slot];
            var partArguments = new RedisValue[indexes.Count * step];
            for (var j = 0; j < indexes.Count; j++)
            {
                Array.Copy(arguments, indexes[j] * step, partArguments, j * step, step);
            }

            parts.Add(router.SendPart(command.Part(partArguments), null, timeout));
            placed.Add(indexes);
        }

        var total = arguments.Length / step;
        Settle(command, parts, values => MergeSplit(command.Name, values, placed, total));
        return true;
    }

    /// <summary>Runs a whole-keyspace command on every primary and merges the replies; false for any other command.</summary>
    public static bool TryRunOnPrimaries<T>(RedisClusterRouter router, RedisCommand<T> command, TimeSpan? timeout)
    {
        if (!OnEveryPrimary.Contains(command.Name) || router.Map is null)
        {
            return false;
        }

        var sub = command.Arguments.Length > 0 ? command.Arguments[0].ToString().ToUpperInvariant() : "";
        if (command.Name == "SCRIPT" && sub is not ("LOAD" or "EXISTS" or "FLUSH"))
        {
            return false;
        }

        var parts = router.Map.Primaries
            .Select(p => router.SendPart(command.Part(command.Arguments), router.Connection(p.Host, p.Port), timeout))
            .ToList();
        Settle(command, parts, values => MergeEveryPrimary(command.Name, sub, values));
        return true;
    }

    private static void Settle<T>(RedisCommand<T> command, List<Deferred<T>> parts, Func<IReadOnlyList<T>, object?> merge) =>
        Deferred.Gather(parts).Subscribe(
            values =>
            {
                object? merged;
                try
                {
                    merged = merge(values);
                }
                catch (Exception e) when (e is InvalidCastException or InvalidOperationException)
                {
                    command.Fail(new RedisConnectionException($"{command.Name}: the nodes' replies could not be merged ({e.Message}).", true, e));
                    return;
                }

                command.Result.TryCallback((T)merged!);
            },
            error => command.Fail(error));

    private static object? MergeSplit<T>(string name, IReadOnlyList<T> values, List<List<int>> placed, int total)
    {
        switch (name)
        {
            case "MGET":
                return PlaceArrays(values, placed, total);
            case "MSET":
                return values[0];
            default:
                return Sum(values);
        }
    }

    private static object? MergeEveryPrimary<T>(string name, string sub, IReadOnlyList<T> values) => name switch
    {
        "KEYS" => Concat(values),
        "DBSIZE" => Sum(values),
        "SCRIPT" when sub == "EXISTS" => AllTrue(values),
        _ => values[0],
    };

    private static object? PlaceArrays<T>(IReadOnlyList<T> values, List<List<int>> placed, int total)
    {
        if (values[0] is RespValue)
        {
            var items = new RespValue[total];
            for (var p = 0; p < values.Count; p++)
            {
                var part = ((RespValue)(object)values[p]!).Items;
                for (var j = 0; j < placed[p].Count; j++)
                {
                    items[placed[p][j]] = part[j];
                }
            }

            return RespValue.ArrayOf(items);
        }

        var element = typeof(T).GetElementType() ?? throw new InvalidOperationException($"{typeof(T).Name} is not an array");
        var merged = Array.CreateInstance(element, total);
        for (var p = 0; p < values.Count; p++)
        {
            var part = (Array)(object)values[p]!;
            for (var j = 0; j < placed[p].Count; j++)
            {
                merged.SetValue(part.GetValue(j), placed[p][j]);
            }
        }

        return merged;
    }

    private static object? Concat<T>(IReadOnlyList<T> values)
    {
        if (values[0] is RespValue)
        {
            return RespValue.ArrayOf([.. values.SelectMany(v => ((RespValue)(object)v!).Items)]);
        }

        var arrays = values.Cast<Array>().ToList();
        var merged = Array.CreateInstance(typeof(T).GetElementType()!, arrays.Sum(a => a.Length));
        var at = 0;
        foreach (var array in arrays)
        {
            Array.Copy(array, 0, merged, at, array.Length);
            at += array.Length;
        }

        return merged;
    }

    private static object? Sum<T>(IReadOnlyList<T> values) => values[0] switch
    {
        RespValue => RespValue.IntegerOf(values.Sum(v => ((RespValue)(object)v!).Integer)),
        long => values.Sum(v => (long)(object)v!),
        _ => values[0],
    };

    private static object? AllTrue<T>(IReadOnlyList<T> values)
    {
        if (values[0] is bool[] first)
        {
            var merged = (bool[])first.Clone();
            foreach (var value in values.Skip(1))
            {
                var other = (bool[])(object)value!;
                for (var i = 0; i < merged.Length; i++)
                {
                    merged[i] &= other[i];
                }
            }

            return merged;
        }

        return values[0];
    }
}
