using System.Globalization;

namespace ReactiveKv.Redis;

/// <summary>What a cluster error reply asks of the client: <c>MOVED 3999 127.0.0.1:6381</c>, <c>ASK …</c>, <c>TRYAGAIN …</c>, <c>CLUSTERDOWN …</c>.</summary>
internal readonly record struct ClusterRedirect(ClusterRedirectKind Kind, int Slot, string Host, int Port)
{
    public string Endpoint => $"{Host}:{Port}";

    public static ClusterRedirect Parse(string error)
    {
        var space = error.IndexOf(' ');
        var prefix = space < 0 ? error : error[..space];
        var kind = prefix switch
        {
            "MOVED" => ClusterRedirectKind.Moved,
            "ASK" => ClusterRedirectKind.Ask,
            "TRYAGAIN" => ClusterRedirectKind.TryAgain,
            "CLUSTERDOWN" => ClusterRedirectKind.ClusterDown,
            "CROSSSLOT" => ClusterRedirectKind.CrossSlot,
            _ => ClusterRedirectKind.None,
        };
        if (kind is not (ClusterRedirectKind.Moved or ClusterRedirectKind.Ask))
        {
            return new(kind, -1, "", 0);
        }

        // "MOVED <slot> <host>:<port>"; Redis 7 may send ":<port>" alone when the node has no announced address, which
        // means the address the client used for the node that answered — the caller fills it in.
        var parts = error.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var slot) || slot >= HashSlot.Count)
        {
            return new(ClusterRedirectKind.None, -1, "", 0);
        }

        var colon = parts[2].LastIndexOf(':');
        if (colon < 0 || !int.TryParse(parts[2].AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return new(ClusterRedirectKind.None, -1, "", 0);
        }

        var host = parts[2][..colon].Trim('[', ']');
        return new(kind, slot, host, port);
    }
}

/// <summary>The cluster errors the router acts on.</summary>
internal enum ClusterRedirectKind
{
    None,
    Moved,
    Ask,
    TryAgain,
    ClusterDown,
    CrossSlot,
}
