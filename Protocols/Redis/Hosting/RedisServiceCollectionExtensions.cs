using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReactiveKv.Hosting;

namespace ReactiveKv.Redis;

/// <summary>
/// Registers <see cref="RedisClient"/>s in a service collection, each also as <see cref="IRedisClient"/> (the same
/// instance): one default client and any number of named ones (resolved with <c>[FromKeyedServices("name")]</c>), made from the container's reactor (<c>services.AddReactor()</c>)
/// and disposed before it stops. Options come from a configuration section (<c>Url</c>, e.g. <c>redis://host:6379/0</c>, and any
/// <see cref="RedisOptions"/> property by name) and from code, in that order, and are checked when the host starts.
/// </summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>Adds the default client, for <paramref name="url"/>.</summary>
    public static IServiceCollection AddRedisClient(this IServiceCollection services, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Add(services, null, null, _ => RedisOptions.Parse(url));
    }

    /// <summary>Adds the default client, with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddRedisClient(this IServiceCollection services, Func<RedisOptions, RedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, null, null, configure);
    }

    /// <summary>Adds the default client, with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddRedisClient(this IServiceCollection services, IConfiguration configuration, Func<RedisOptions, RedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, null, configuration, configure);
    }

    /// <summary>Adds a named client (a keyed service), with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddRedisClient(this IServiceCollection services, string name, Func<RedisOptions, RedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, name, null, configure);
    }

    /// <summary>Adds a named client (a keyed service), with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddRedisClient(this IServiceCollection services, string name, IConfiguration configuration, Func<RedisOptions, RedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, name, configuration, configure);
    }

    private static IServiceCollection Add(IServiceCollection services, string? name, IConfiguration? configuration, Func<RedisOptions, RedisOptions>? configure)
    {
        services.AddClient<RedisClient, RedisOptions>("Redis", name, configuration, configure, RedisOptions.Parse, RedisClient.Create, Validate);

        // The interface resolves to the same instance (one client, disposed once), for code written against IRedisClient.
        if (name is null)
        {
            services.AddSingleton<IRedisClient>(provider => provider.GetRequiredService<RedisClient>());
        }
        else
        {
            services.AddKeyedSingleton<IRedisClient>(name, (provider, key) => provider.GetRequiredKeyedService<RedisClient>(key));
        }

        return services;
    }

    private static IEnumerable<string> Validate(RedisOptions options)
    {
        if (options.UnixSocket is null && options.Seeds.Count == 0 && options.Sentinels.Count == 0 && string.IsNullOrWhiteSpace(options.Host))
        {
            yield return "Host is empty (set Url, Host, Seeds, Sentinels or UnixSocket).";
        }

        if (options.Port is < 1 or > 65535)
        {
            yield return $"Port {options.Port} is not a TCP port (1-65535).";
        }

        if (options.Database < 0)
        {
            yield return $"Database {options.Database} cannot be negative.";
        }

        if (options.Sentinels.Count > 0 && string.IsNullOrWhiteSpace(options.SentinelServiceName))
        {
            yield return "Sentinels are set but SentinelServiceName is not.";
        }
    }
}
