using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReactiveKv.Hosting;

namespace ReactiveKv.Keyspace;

/// <summary>
/// Registers <see cref="KeyspaceClient"/>s in a service collection, each also as its <see cref="IKeyspaceClient"/>: one default client and any number of named ones
/// (resolved with <c>[FromKeyedServices("name")]</c>), made from the container's reactor (<c>services.AddReactor()</c>)
/// and disposed before it stops. Options come from a configuration section (<c>Url</c>, e.g. <c>keyspace://node0:7080,node1:7080</c>, and any
/// <see cref="KeyspaceOptions"/> property by name) and from code, in that order, and are checked when the host starts.
/// </summary>
public static class KeyspaceServiceCollectionExtensions
{
    /// <summary>Adds the default client, for <paramref name="url"/>.</summary>
    public static IServiceCollection AddKeyspaceClient(this IServiceCollection services, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Add(services, null, null, _ => KeyspaceOptions.Parse(url));
    }

    /// <summary>Adds the default client, with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddKeyspaceClient(this IServiceCollection services, Func<KeyspaceOptions, KeyspaceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, null, null, configure);
    }

    /// <summary>Adds the default client, with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddKeyspaceClient(this IServiceCollection services, IConfiguration configuration, Func<KeyspaceOptions, KeyspaceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, null, configuration, configure);
    }

    /// <summary>Adds a named client (a keyed service), with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddKeyspaceClient(this IServiceCollection services, string name, Func<KeyspaceOptions, KeyspaceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, name, null, configure);
    }

    /// <summary>Adds a named client (a keyed service), with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddKeyspaceClient(this IServiceCollection services, string name, IConfiguration configuration, Func<KeyspaceOptions, KeyspaceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, name, configuration, configure);
    }

    // The interface resolves to the same instance as the class, by the same name.
    private static IServiceCollection Add(IServiceCollection services, string? name, IConfiguration? configuration, Func<KeyspaceOptions, KeyspaceOptions>? configure)
    {
        services.AddClient<KeyspaceClient, KeyspaceOptions>("Keyspace", name, configuration, configure, KeyspaceOptions.Parse, KeyspaceClient.Create, Validate);
        return name is null
            ? services.AddSingleton<IKeyspaceClient>(provider => provider.GetRequiredService<KeyspaceClient>())
            : services.AddKeyedSingleton<IKeyspaceClient>(name, (provider, key) => provider.GetRequiredKeyedService<KeyspaceClient>(key));
    }

    private static IEnumerable<string> Validate(KeyspaceOptions options)
    {
        if (options.Nodes.Count == 0)
        {
            yield return "Nodes is empty (set Url).";
        }

        foreach (var (host, port) in options.Nodes)
        {
            if (string.IsNullOrWhiteSpace(host) || port is < 1 or > 65535)
            {
                yield return $"Node '{host}:{port}' is not host:port.";
            }
        }
    }
}
