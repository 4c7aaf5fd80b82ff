namespace ReactiveKv;

/// <summary>
/// A parsed endpoint string in Twisted's syntax: <c>type:positional:key=value</c>, with <c>\:</c> and <c>\\</c>
/// escapes for colons and backslashes inside values.
/// </summary>
internal sealed class EndpointDescription
{
    private readonly Dictionary<string, string> _named = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _positional = [];
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    private EndpointDescription(string text) => Text = text;

    /// <summary>The endpoint string as given, secrets included: messages use <see cref="Redact"/> on it.</summary>
    public string Text { get; }

    public string Type { get; private set; } = "";

    public static EndpointDescription Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = Split(text);
        var description = new EndpointDescription(text) { Type = parts[0].ToLowerInvariant() };
        if (description.Type.Length == 0)
        {
            throw description.Error("it has no endpoint type before the first ':'");
        }

        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=');
            if (eq < 0)
            {
                description._positional.Add(part);
            }
            else if (!description._named.TryAdd(part[..eq], part[(eq + 1)..]))
            {
                throw description.Error($"'{part[..eq]}' is given twice");
            }
        }

        return description;
    }

    public string Required(string key, int position)
    {
        _used.Add(key);
        if (_named.TryGetValue(key, out var value))
        {
            return value.Length > 0 ? value : throw Error($"'{key}' is empty");
        }

        if (position < _positional.Count)
        {
            return _positional[position];
        }

        throw Error($"'{key}' is missing");
    }

    public string? Optional(string key)
    {
        _used.Add(key);
        return _named.GetValueOrDefault(key);
    }

    public int Port(string key, int position)
    {
        var text = Required(key, position);
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw Error($"'{text}' is not a port number (0-65535)");
    }

    public TimeSpan? Seconds(string key)
    {
        var text = Optional(key);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : throw Error($"'{key}={text}' is not a positive number of seconds");
    }

    public int? Integer(string key)
    {
        var text = Optional(key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Error($"'{key}={text}' is not a whole number");
    }

    public void RejectUnknown(int positionalAllowed)
    {
        if (_positional.Count > positionalAllowed)
        {
            throw Error($"it has {_positional.Count} positional values where at most {positionalAllowed} are allowed");
        }

        var unknown = _named.Keys.FirstOrDefault(k => !_used.Contains(k));
        if (unknown is not null)
        {
            throw Error($"'{unknown}' is not an option of '{Type}' endpoints");
        }
    }

    public EndpointSyntaxException Error(string problem) => new($"Bad endpoint '{Redact(Text)}': {problem}.");

    /// <summary>
    /// <paramref name="text"/> with the value of every option whose name says it is a secret (<c>password=</c>, the
    /// PKCS#12 password of a TLS endpoint, or any name holding "password", "secret" or "token") replaced by <c>***</c>.
    /// Works on the raw text, escapes and all, so it serves strings that fail to parse too.
    /// </summary>
    public static string Redact(string text)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ':')
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        for (var i = 1; i < parts.Count; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && IsSecretName(parts[i][..eq]))
            {
                parts[i] = parts[i][..(eq + 1)] + "***";
            }
        }

        return string.Join(':', parts);
    }

    private static bool IsSecretName(string name) =>
        name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("token", StringComparison.OrdinalIgnoreCase);

    private static List<string> Split(string text)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 == text.Length)
                {
                    throw new EndpointSyntaxException($"Bad endpoint '{Redact(text)}': it ends with a lone backslash.");
                }

                current.Append(text[++i]);
            }
            else if (c == ':')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }
}
