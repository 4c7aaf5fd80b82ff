namespace ReactiveKv.Keyspace;

/// <summary>
/// The cursor walk behind list-keys, list-key-values and count (§7.6): the start is prefix + start key, a backward
/// start is accepted only when it and the key found are prefixes of one another, reserved keys are neither
/// returned nor counted, the offset skips the first visited keys whatever they are, and a key outside the prefix
/// or the limit ends the walk.
/// </summary>
internal static class ListWalker
{
    /// <summary>The server's chunk; the 1.9.0 continuation after it is broken (§12 items 1–2).</summary>
    public const int Chunk = KeyspaceLimits.ListPage;

    /// <summary>True for the internal <c>@@…</c> (Paxos) and <c>!!…</c> (expiry) keys.</summary>
    public static bool IsReserved(ReadOnlySpan<byte> key) =>
        key.Length >= 2 && ((key[0] == '@' && key[1] == '@') || (key[0] == '!' && key[1] == '!'));

    /// <summary>
    /// Indexes of the keys a list returns, in walk order (the empty key included: lists leave it out, counts count
    /// it), and the index the cursor would visit next (-1 past either end), which the count quirk looks at.
    /// </summary>
    public static (List<int> Hits, int Next) Walk(OrderedStore store, KeyspaceRequest query, ulong limit)
    {
        var prefix = query.Prefix;
        var start = Concat(prefix, query.StartKey);
        var step = query.Backward ? -1 : 1;
        var hits = new List<int>();
        var skip = query.Offset;
        var index = First(store, start, query.Backward);
        for (; index >= 0 && index < store.Count; index += step)
        {
            var key = store.KeyAt(index);
            if (IsReserved(key))
            {
                continue;
            }

            if (skip > 0)
            {
                // Only while nothing was emitted, and before the prefix test: the quirk of §12 item 6.
                skip--;
                continue;
            }

            if (!key.AsSpan().StartsWith(prefix))
            {
                break;
            }

            hits.Add(index);
            if (limit != 0 && (ulong)hits.Count == limit)
            {
                index += step;
                break;
            }
        }

        return (hits, index >= 0 && index < store.Count ? index : -1);
    }

    private static int First(OrderedStore store, byte[] start, bool backward)
    {
        if (!backward)
        {
            return start.Length == 0 ? 0 : store.LowerBound(start);
        }

        if (start.Length == 0)
        {
            return store.Count - 1;
        }

        var found = store.LowerBound(start);
        if (found >= store.Count)
        {
            return store.Count - 1;
        }

        // The key found is taken only when one of it and the start is a prefix of the other (§12 item 5 follows).
        var key = store.KeyAt(found);
        return key.AsSpan().StartsWith(start) || start.AsSpan().StartsWith(key) ? found : found - 1;
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == 0 ? b : a;
        }

        var joined = new byte[a.Length + b.Length];
        a.CopyTo(joined, 0);
        b.CopyTo(joined, a.Length);
        return joined;
    }
}
