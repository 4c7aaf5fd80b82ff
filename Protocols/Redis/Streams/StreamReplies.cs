namespace ReactiveKv.Redis;

/// <summary>Processors for stream replies, in both RESP2 (arrays) and RESP3 (maps) shapes.</summary>
internal static class StreamReplies
{
    public static readonly ReplyProcessor<StreamEntry[]> Entries = static (in RawReply r) =>
    {
        if (r.IsNull)
        {
            return [];
        }

        var result = new List<StreamEntry>();
        foreach (var entry in r.Children())
        {
            if (entry.IsNull)
            {
                continue;
            }

            var parts = entry.Children();
            parts.MoveNext();
            var id = parts.Current.Text();
            parts.MoveNext();
            var fields = new List<KeyValuePair<string, string>>();
            if (!parts.Current.IsNull)
            {
                var flat = Replies.Strings(parts.Current);
                for (var i = 0; i + 1 < flat.Length; i += 2)
                {
                    fields.Add(new(flat[i]!, flat[i + 1]!));
                }
            }

            result.Add(new StreamEntry(id, fields));
        }

        return [.. result];
    };

    /// <summary>XREAD/XREADGROUP: per stream key, its entries (null reply: nothing new).</summary>
    public static readonly ReplyProcessor<IReadOnlyDictionary<string, StreamEntry[]>> Read = static (in RawReply r) =>
    {
        var result = new Dictionary<string, StreamEntry[]>();
        if (r.IsNull)
        {
            return result;
        }

        if (r.Type == RespType.Map)
        {
            string? key = null;
            foreach (var child in r.Children())
            {
                if (key is null)
                {
                    key = child.Text();
                }
                else
                {
                    result[key] = Entries(child);
                    key = null;
                }
            }

            return result;
        }

        foreach (var stream in r.Children())
        {
            var parts = stream.Children();
            parts.MoveNext();
            var name = parts.Current.Text();
            parts.MoveNext();
            result[name] = Entries(parts.Current);
        }

        return result;
    };

    public static readonly ReplyProcessor<StreamPendingSummary> Pending = static (in RawReply r) =>
    {
        var parts = r.Children();
        parts.MoveNext();
        parts.Current.TryInteger(out var count);
        parts.MoveNext();
        var smallest = parts.Current.IsNull ? null : parts.Current.Text();
        parts.MoveNext();
        var greatest = parts.Current.IsNull ? null : parts.Current.Text();
        parts.MoveNext();
        var consumers = new Dictionary<string, long>();
        if (!parts.Current.IsNull)
        {
            foreach (var consumer in parts.Current.Children())
            {
                var pair = Replies.Strings(consumer);
                consumers[pair[0]!] = long.Parse(pair[1]!, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return new StreamPendingSummary(count, smallest, greatest, consumers);
    };
}
