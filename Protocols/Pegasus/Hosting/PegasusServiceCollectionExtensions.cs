using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReactiveKv.Hosting;

namespace ReactiveKv.Pegasus;

/// <summary>
/// Registers <see cref="PegasusClient"/>s in a service collection, each also as its <see cref="IPegasusClient"/>: one default client and any number of named ones
/// (resolved with <c>[FromKeyedServices("name")]</c>), made from the container's reactor (<c>services.AddReactor()</c>)
/// and disposed before it stops. Options come from a configuration section (<c>Url</c>, e.g. <c>pegasus://meta1:34601,meta2:34601/table</c>, and any
/// <see cref="PegasusOptions"/> property by name) and from code, in that order, and are checked when the host starts.
/// </summary>
public static class PegasusServiceCollectionExtensions
{
    /// <summary>Adds the default client, for <paramref name="url"/>.</summary>
    public static IServiceCollection AddPegasusClient(this IServiceCollection services, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Add(services, null, null, _ => PegasusOptions.Parse(url));
    }

    /// <summary>Adds the default client, with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddPegasusClient(this IServiceCollection services, Func<PegasusOptions, PegasusOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, null, null, configure);
    }

    /// <summary>Adds the default client, with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddPegasusClient(this IServiceCollection services, IConfiguration configuration, Func<PegasusOptions, PegasusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, null, configuration, configure);
    }

    /// <summary>Adds a named client (a keyed service), with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddPegasusClient(this IServiceCollection services, string name, Func<PegasusOptions, PegasusOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, name, null, configure);
    }

    /// <summary>Adds a named client (a keyed service), with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddPegasusClient(this IServiceCollection services, string name, IConfiguration configuration, Func<PegasusOptions, PegasusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, name, configuration, configure);
    }

    // The interface resolves to the same instance as the class, by the same name.
    private static IServiceCollection Add(IServiceCollection services, string? name, IConfiguration? configuration, Func<PegasusOptions, PegasusOptions>? configure)
    {
        services.AddClient<PegasusClient, PegasusOptions>("Pegasus", name, configuration, configure, PegasusOptions.Parse, PegasusClient.Create, Validate);
        return name is null
            ? services.AddSingleton<IPegasusClient>(provider => provider.GetRequiredService<PegasusClient>())
            : services.AddKeyedSingleton<IPegasusClient>(name, (provider, key) => provider.GetRequiredKeyedService<PegasusClient>(key));
    }

    private static IEnumerable<string> Validate(PegasusOptions options)
    {
        if (options.MetaServers.Count == 0)
        {
            yield return "MetaServers is empty (set Url or MetaServers).";
        }

        foreach (var server in options.MetaServers)
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                yield return $"MetaServers entry '{server}' is not host:port.";
            }
        }
    }
}
