using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace ReactiveKv.Hosting;

/// <summary>Applies a configuration section to a client's options: the URL first, then each key onto the property of its name.</summary>
internal static class ClientConfiguration
{
    private static readonly MethodInfo Clone = typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    public static void Apply<TOptions>(ClientSettings<TOptions> settings, IConfiguration section, Func<string, TOptions> parse)
        where TOptions : class, IClientOptions, new()
    {
        var options = settings.Options;
        if (section[ClientRegistration.UrlKey] is { Length: > 0 } url)
        {
            try
            {
                options = parse(url);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                // The parsers' messages show the URL redacted.
                settings.Problems.Add($"{Path(section, ClientRegistration.UrlKey)}: {e.Message}");
                return;
            }
        }

        var properties = typeof(TOptions).GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

        // The binder edits nested objects in place and appends to lists: give it copies of its own, so a shared
        // default (ReconnectPolicy.Default) is never changed and a list from configuration replaces the default one.
        options = (TOptions)Clone.Invoke(options, null)!;
        var bound = false;
        foreach (var child in section.GetChildren())
        {
            if (string.Equals(child.Key, ClientRegistration.UrlKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!properties.TryGetValue(child.Key, out var property))
            {
                settings.Problems.Add($"{child.Path}: {typeof(TOptions).Name} has no setting '{child.Key}' (known: {ClientRegistration.UrlKey}, {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}).");
                continue;
            }

            bound = true;
            var value = property.GetValue(options);
            if (value is null || value is string || property.PropertyType.IsValueType)
            {
                continue;
            }

            property.SetValue(options, value is IEnumerable ? null : Clone.Invoke(value, null));
        }

        if (bound)
        {
            try
            {
                section.Bind(options);
            }
            catch (InvalidOperationException e)
            {
                settings.Problems.Add(e.Message);
                return;
            }
        }

        settings.Options = options;
    }

    private static string Path(IConfiguration section, string key) => section is IConfigurationSection s ? ConfigurationPath.Combine(s.Path, key) : key;
}
