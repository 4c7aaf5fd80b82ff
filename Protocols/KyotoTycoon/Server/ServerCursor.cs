namespace ReactiveKv.KyotoTycoon;

/// <summary>A server-side cursor of one connection: bound to a database, pointing at a key or nowhere.</summary>
internal sealed class ServerCursor(KtDatabase database)
{
    public KtDatabase Database { get; } = database;

    public byte[]? Current { get; set; }

    /// <summary>The live key after (or before) the current one in the database's order, or null at the end.</summary>
    public byte[]? Neighbour(long now, bool backward)
    {
        var keys = Database.Keys(now);
        if (Current is null)
        {
            return null;
        }

        var index = keys.FindIndex(k => k.AsSpan().SequenceEqual(Current));
        if (index < 0 && Database.IsTree)
        {
            // The current record is gone: continue from where it would have been.
            index = keys.FindIndex(k => k.AsSpan().SequenceCompareTo(Current) > 0);
            return backward ? (index < 0 ? keys.LastOrDefault() : index > 0 ? keys[index - 1] : null) : index < 0 ? null : keys[index];
        }

        var next = backward ? index - 1 : index + 1;
        return index >= 0 && next >= 0 && next < keys.Count ? keys[next] : null;
    }
}
