using System.Globalization;

namespace ReactiveKv;

/// <summary>
/// The one reader of every backend's URL: <c>scheme://[user[:password]@]host[:port][,host[:port]…][/path][?name=value&amp;…]</c>,
/// with bracketed IPv6 hosts and percent-encoding in every part, and <c>scheme:///path</c> for Unix sockets. Backends
/// interpret the parts (which path is a database, which query names they know); this class only splits and decodes.
/// </summary>
public sealed class ServiceUrl
{
    private ServiceUrl(string text, string scheme)
    {
        Text = text;
        Scheme = scheme;
    }

    /// <summary>The URL as given, password included: never put it in a message or a log (use <see cref="Redacted"/>).</summary>
    public string Text { get; }

    /// <summary>The URL with its password (and any password-like query value) replaced by <c>***</c>, for messages and logs.</summary>
    public string Redacted => Redact(Text);

    /// <summary>The scheme, lower case (<c>redis</c>, <c>kt</c>, <c>pegasus</c>, …).</summary>
    public string Scheme { get; }

    /// <summary>The user name, decoded; null when absent or empty.</summary>
    public string? User { get; private set; }

    /// <summary>The password, decoded; null when absent.</summary>
    public string? Password { get; private set; }

    /// <summary>The hosts in the order given, with the default port where none was written; empty for <c>scheme:///path</c>.</summary>
    public IReadOnlyList<(string Host, int Port)> Hosts { get; private set; } = [];

    /// <summary>The path after the first <c>/</c> following the hosts, decoded; empty when absent.</summary>
    public string Path { get; private set; } = "";

    /// <summary>The query parameters in order, names and values decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; private set; } = [];

    /// <summary>The first host (most backends take one).</summary>
    public (string Host, int Port) Host => Hosts.Count > 0 ? Hosts[0] : throw Error("names no host");

    /// <summary>
    /// Reads <paramref name="text"/> for <paramref name="backend"/>; <paramref name="schemes"/> are the schemes it accepts.
    /// A <paramref name="defaultPort"/> of 0 means every host must name its port.
    /// </summary>
    /// <exception cref="FormatException">The text is not such a URL; the message says what is wrong and shows the expected form.</exception>
    public static ServiceUrl Parse(string text, string backend, int defaultPort, params string[] schemes)
    {
        ArgumentNullException.ThrowIfNull(text);
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new FormatException($"'{Redact(text)}' is not a URL: expected {schemes.FirstOrDefault() ?? "scheme"}://host:port.");
        }

        var url = new ServiceUrl(text, text[..separator].ToLowerInvariant());
        if (schemes.Length > 0 && !schemes.Contains(url.Scheme))
        {
            throw new FormatException($"'{url.Scheme}' in '{url.Redacted}' is not a {backend} URL scheme ({string.Join(", ", schemes)}).");
        }

        var rest = text[(separator + 3)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        rest = hash >= 0 ? rest[..hash] : rest;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            url.Query = url.ReadQuery(rest[(question + 1)..]);
            rest = rest[..question];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        url.Path = slash >= 0 ? Unescape(rest[(slash + 1)..]) : "";
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            url.ReadUserInfo(authority[..at]);
            authority = authority[(at + 1)..];
        }

        url.Hosts = authority.Length == 0 ? [] : [.. authority.Split(',').Select(h => url.ReadHost(h.Trim(), defaultPort))];
        return url;
    }

    /// <summary>The value of query parameter <paramref name="name"/> (the last one if repeated), or null.</summary>
    public string? QueryValue(string name) => Query.LastOrDefault(p => p.Key == name).Value;

    /// <summary>A <see cref="FormatException"/> about this URL, for backends rejecting a part.</summary>
    public FormatException Error(string what) => new($"'{Redacted}' {what}.");

    /// <inheritdoc />
    public override string ToString() => Redacted;

    /// <summary>
    /// <paramref name="text"/> with the password of its user info replaced by <c>***</c> (<c>user:***@</c>; the
    /// whole user info when it has no colon, since <c>redis://secret@host</c> carries a password there) and the value
    /// of every query parameter whose name contains "password", "secret" or "token". Works on text that is not a
    /// well-formed URL too, because parse errors are exactly when it is not.
    /// </summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        var start = separator >= 0 ? separator + 3 : 0;

        // The last '@' ends the user info even when an unescaped '/', '?' or '#' sits in the password, so a
        // malformed URL is redacted too (at worst a path holding an '@' is hidden as well).
        var at = text.LastIndexOf('@');
        string head = text[..start], info = "", rest = text[start..];
        if (at >= start)
        {
            info = text[start..at];
            rest = text[at..];
            var colon = info.IndexOf(':', StringComparison.Ordinal);
            info = colon >= 0 ? info[..(colon + 1)] + "***" : "***";
        }

        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            var pairs = rest[(question + 1)..].Split('&');
            for (var i = 0; i < pairs.Length; i++)
            {
                var equals = pairs[i].IndexOf('=', StringComparison.Ordinal);
                var name = equals >= 0 ? pairs[i][..equals] : pairs[i];
                if (equals >= 0 && IsSecretName(name))
                {
                    pairs[i] = name + "=***";
                }
            }

            rest = rest[..(question + 1)] + string.Join('&', pairs);
        }

        return head + info + rest;
    }

    private static bool IsSecretName(string name) =>
        name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("token", StringComparison.OrdinalIgnoreCase);

    private void ReadUserInfo(string info)
    {
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        var user = Unescape(colon >= 0 ? info[..colon] : info);
        User = user.Length > 0 ? user : null;
        Password = colon >= 0 ? Unescape(info[(colon + 1)..]) : null;
    }

    private (string Host, int Port) ReadHost(string text, int defaultPort)
    {
        if (text.Length == 0)
        {
            throw Error("has an empty host in its host list");
        }

        string host;
        string? port = null;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error($"has an unclosed IPv6 address '{text}'");
            }

            host = text[1..close];
            port = close + 1 < text.Length && text[close + 1] == ':' ? text[(close + 2)..] : close + 1 == text.Length ? null : throw Error($"has a bad host '{text}'");
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon >= 0 ? text[..colon] : text;
            port = colon >= 0 ? text[(colon + 1)..] : null;
        }

        if (host.Length == 0)
        {
            throw Error($"has no host name in '{text}'");
        }

        if (port is null)
        {
            return defaultPort > 0 ? (Unescape(host), defaultPort) : throw Error($"has no port in '{text}' (host:port)");
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535
            ? (Unescape(host), number)
            : throw Error($"has a bad port '{port}' (expected 1 to 65535)");
    }

    private List<KeyValuePair<string, string>> ReadQuery(string query) =>
        [.. query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            return equals >= 0
                ? new KeyValuePair<string, string>(Unescape(pair[..equals]), Unescape(pair[(equals + 1)..]))
                : new KeyValuePair<string, string>(Unescape(pair), "");
        })];

    private static string Unescape(string text) => Uri.UnescapeDataString(text);
}
