using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReactiveKv.Hosting;

namespace ReactiveKv.Amqp;

/// <summary>
/// Registers <see cref="AmqpConnection"/>s in a service collection, each also as its <see cref="IAmqpConnection"/>: one default connection and any number of named ones
/// (resolved with <c>[FromKeyedServices("name")]</c>), made from the container's reactor (<c>services.AddReactor()</c>)
/// and disposed before it stops. Options come from a configuration section (<c>Url</c>, e.g. <c>amqp://user:password@host:5672/vhost</c>, and any
/// <see cref="AmqpOptions"/> property by name) and from code, in that order, and are checked when the host starts.
/// </summary>
public static class AmqpServiceCollectionExtensions
{
    /// <summary>Adds the default connection, for <paramref name="url"/>.</summary>
    public static IServiceCollection AddAmqpClient(this IServiceCollection services, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Add(services, null, null, _ => AmqpOptions.Parse(url));
    }

    /// <summary>Adds the default connection, with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddAmqpClient(this IServiceCollection services, Func<AmqpOptions, AmqpOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, null, null, configure);
    }

    /// <summary>Adds the default connection, with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddAmqpClient(this IServiceCollection services, IConfiguration configuration, Func<AmqpOptions, AmqpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, null, configuration, configure);
    }

    /// <summary>Adds a named connection (a keyed service), with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddAmqpClient(this IServiceCollection services, string name, Func<AmqpOptions, AmqpOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, name, null, configure);
    }

    /// <summary>Adds a named connection (a keyed service), with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddAmqpClient(this IServiceCollection services, string name, IConfiguration configuration, Func<AmqpOptions, AmqpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, name, configuration, configure);
    }

    // The interface resolves to the same instance as the class, by the same name.
    private static IServiceCollection Add(IServiceCollection services, string? name, IConfiguration? configuration, Func<AmqpOptions, AmqpOptions>? configure)
    {
        services.AddClient<AmqpConnection, AmqpOptions>("AMQP", name, configuration, configure, AmqpOptions.Parse, AmqpConnection.Create, Validate);
        return name is null
            ? services.AddSingleton<IAmqpConnection>(provider => provider.GetRequiredService<AmqpConnection>())
            : services.AddKeyedSingleton<IAmqpConnection>(name, (provider, key) => provider.GetRequiredKeyedService<AmqpConnection>(key));
    }

    private static IEnumerable<string> Validate(AmqpOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            yield return "Host is empty (set Url or Host).";
        }

        if (options.Port is < 1 or > 65535)
        {
            yield return $"Port {options.Port} is not a TCP port (1-65535).";
        }

        if (options.Heartbeat < TimeSpan.Zero)
        {
            yield return "Heartbeat cannot be negative (zero turns heartbeats off).";
        }
    }
}
