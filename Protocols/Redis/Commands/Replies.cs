namespace ReactiveKv.Redis;

/// <summary>The reply processors: each accepts the RESP2 and the RESP3 shape of its reply.</summary>
internal static class Replies
{
    public static readonly ReplyProcessor<RespValue> Any = static (in RawReply r) => RespValue.From(r);

    public static readonly ReplyProcessor<string?> String = static (in RawReply r) =>
        r.IsNull ? null : r.IsAggregate ? throw Unexpected(r) : r.Text();

    public static readonly ReplyProcessor<byte[]?> Bytes = static (in RawReply r) =>
        r.IsNull ? null : r.IsAggregate ? throw Unexpected(r) : r.Bytes();

    public static readonly ReplyProcessor<long> Integer = static (in RawReply r) =>
        r.TryInteger(out var v) ? v : throw Unexpected(r);

    public static readonly ReplyProcessor<long?> NullableInteger = static (in RawReply r) =>
        r.IsNull ? null : r.TryInteger(out var v) ? v : throw Unexpected(r);

    public static readonly ReplyProcessor<double> Double = static (in RawReply r) =>
        r.TryDouble(out var v) ? v : throw Unexpected(r);

    public static readonly ReplyProcessor<double?> NullableDouble = static (in RawReply r) =>
        r.IsNull ? null : r.TryDouble(out var v) ? v : throw Unexpected(r);

    /// <summary>Integer 1/0, RESP3 boolean, or <c>OK</c>/null (as SET NX answers).</summary>
    public static readonly ReplyProcessor<bool> Boolean = static (in RawReply r) => r.Type switch
    {
        RespType.Boolean => r.Payload.FirstSpan[0] == (byte)'t',
        RespType.Integer => r.TryInteger(out var v) && v != 0,
        RespType.SimpleString => true,
        RespType.BulkString when !r.IsNull => true,
        _ when r.IsNull => false,
        _ => throw Unexpected(r),
    };

    public static readonly ReplyProcessor<bool> Ok = static (in RawReply r) =>
        r.Type == RespType.SimpleString ? true : throw Unexpected(r);

    public static readonly ReplyProcessor<string?[]> Strings = static (in RawReply r) =>
    {
        if (r.IsNull)
        {
            return [];
        }

        var result = new string?[r.Count];
        var i = 0;
        foreach (var child in r.Children())
        {
            result[i++] = child.IsNull ? null : child.Text();
        }

        return result;
    };

    public static readonly ReplyProcessor<byte[]?[]> ByteArrays = static (in RawReply r) =>
    {
        if (r.IsNull)
        {
            return [];
        }

        var result = new byte[]?[r.Count];
        var i = 0;
        foreach (var child in r.Children())
        {
            result[i++] = child.IsNull ? null : child.Bytes();
        }

        return result;
    };

    /// <summary>A RESP3 map, or a RESP2 flat array of alternating keys and values.</summary>
    public static readonly ReplyProcessor<Dictionary<string, string>> StringMap = static (in RawReply r) =>
    {
        var result = new Dictionary<string, string>();
        string? key = null;
        foreach (var child in r.Children())
        {
            if (key is null)
            {
                key = child.Text();
            }
            else
            {
                result[key] = child.Text();
                key = null;
            }
        }

        return result;
    };

    /// <summary>Members with scores: RESP2 flat [member, score, …]; RESP3 [[member, score], …].</summary>
    public static readonly ReplyProcessor<SortedSetEntry[]> ScoredMembers = static (in RawReply r) =>
    {
        var result = new List<SortedSetEntry>();
        string? member = null;
        foreach (var child in r.Children())
        {
            if (child.IsAggregate)
            {
                var pair = child.Children();
                pair.MoveNext();
                var m = pair.Current.Text();
                pair.MoveNext();
                result.Add(new SortedSetEntry(m, pair.Current.TryDouble(out var s) ? s : throw Unexpected(pair.Current)));
            }
            else if (member is null)
            {
                member = child.Text();
            }
            else
            {
                result.Add(new SortedSetEntry(member, child.TryDouble(out var s) ? s : throw Unexpected(child)));
                member = null;
            }
        }

        return [.. result];
    };

    /// <summary>A nullable single [member, score] (ZPOPMIN with count 1, BZPOPMIN's [key, member, score]).</summary>
    public static readonly ReplyProcessor<KeyedSortedSetEntry?> KeyedScoredMember = static (in RawReply r) =>
    {
        if (r.IsNull)
        {
            return null;
        }

        var parts = Strings(r);
        return new KeyedSortedSetEntry(parts[0]!, new SortedSetEntry(parts[1]!, double.Parse(parts[2]!, System.Globalization.CultureInfo.InvariantCulture)));
    };

    /// <summary>[key, value] from BLPOP/BRPOP, or null on timeout.</summary>
    public static readonly ReplyProcessor<KeyValuePair<string, string>?> KeyedValue = static (in RawReply r) =>
    {
        if (r.IsNull)
        {
            return null;
        }

        var parts = Strings(r);
        return new KeyValuePair<string, string>(parts[0]!, parts[1]!);
    };

    /// <summary>A SCAN page: [cursor, [items…]].</summary>
    public static readonly ReplyProcessor<ScanPage> Scan = static (in RawReply r) =>
    {
        var children = r.Children();
        children.MoveNext();
        var cursor = children.Current.Text();
        children.MoveNext();
        return new ScanPage(cursor, Strings(children.Current));
    };

    public static Exception Unexpected(in RawReply r) =>
        new InvalidDataException($"a {r.Type} reply{(r.IsError ? ": " + r.Text() : "")} where another type was expected");
}
