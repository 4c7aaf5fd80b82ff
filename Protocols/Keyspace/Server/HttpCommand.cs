using System.Globalization;
using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>An HTTP API command as a client-protocol request, with the way its answer is written; null when a parameter is missing or not a number.</summary>
internal sealed record HttpCommand(KeyspaceRequest Request, HttpStyle Style, byte[] Name)
{
    public bool IsList => Style is HttpStyle.Keys or HttpStyle.KeyValues;

    public static HttpCommand? From(HttpRequestLine line)
    {
        var p = line.Parameters;
        try
        {
            return line.Command switch
            {
                "get" => Keyed('g', HttpStyle.Value, p),
                "dirtyget" => Keyed('G', HttpStyle.Value, p),
                "set" => new(new KeyspaceRequest { Command = (KeyspaceCommand)'s', Key = p["key"], Value = p["value"] }, HttpStyle.Status, p["key"]),
                "testandset" => new(new KeyspaceRequest { Command = (KeyspaceCommand)'t', Key = p["key"], Test = p["test"], Value = p["value"] }, HttpStyle.Value, p["key"]),
                "add" => new(new KeyspaceRequest { Command = (KeyspaceCommand)'a', Key = p["key"], Delta = long.Parse(Text(p["num"]), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) }, HttpStyle.Value, p["key"]),
                "rename" => new(new KeyspaceRequest { Command = (KeyspaceCommand)'e', Key = p["from"], Value = p["to"] }, HttpStyle.Found, p["from"]),
                "delete" => Keyed('d', HttpStyle.Found, p),
                "remove" => Keyed('r', HttpStyle.Value, p),
                "prune" => new(new KeyspaceRequest { Command = (KeyspaceCommand)'z', Key = p["prefix"] }, HttpStyle.Found, p["prefix"]),
                "setexpiry" => new(new KeyspaceRequest { Command = (KeyspaceCommand)'x', Key = p["key"], Seconds = ulong.Parse(Text(p["time"]), NumberStyles.None, CultureInfo.InvariantCulture) }, HttpStyle.Status, p["key"]),
                "removeexpiry" => Keyed('X', HttpStyle.Status, p),
                "clearexpiries" => new(new KeyspaceRequest { Command = (KeyspaceCommand)'w' }, HttpStyle.Status, []),
                "listkeys" => Listing('l', HttpStyle.Keys, p),
                "dirtylistkeys" => Listing('L', HttpStyle.Keys, p),
                "listkeyvalues" => Listing('p', HttpStyle.KeyValues, p),
                "dirtylistkeyvalues" => Listing('P', HttpStyle.KeyValues, p),
                "count" => Listing('c', HttpStyle.Value, p),
                "dirtycount" => Listing('C', HttpStyle.Value, p),
                _ => null,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException)
        {
            // A missing parameter or a bad number is a 404, as the real server answers.
            return null;
        }
    }

    private static HttpCommand Keyed(char letter, HttpStyle style, Dictionary<string, byte[]> p) =>
        new(new KeyspaceRequest { Command = (KeyspaceCommand)letter, Key = p["key"] }, style, p["key"]);

    private static HttpCommand Listing(char letter, HttpStyle style, Dictionary<string, byte[]> p)
    {
        var prefix = p.GetValueOrDefault("prefix") ?? [];
        var start = p.GetValueOrDefault("start") ?? [];
        var direction = p.GetValueOrDefault("direction");
        return new(new KeyspaceRequest
        {
            Command = (KeyspaceCommand)letter,
            Key = prefix,

            // The start is a full key: the server cuts the prefix's length off its front without checking (§11.1).
            StartKey = start.Length > prefix.Length ? start[prefix.Length..] : [],
            Count = Number(p, "count"),
            Offset = Number(p, "offset"),
            Backward = direction is { Length: 1 } d && d[0] != 'f',
        }, style, prefix);
    }

    private static ulong Number(Dictionary<string, byte[]> p, string name) =>
        p.TryGetValue(name, out var text) ? ulong.Parse(Text(text), NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    private static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
