using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReactiveKv.Hosting;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// Registers <see cref="KtClient"/>s in a service collection, each also as its <see cref="IKtClient"/>: one default client and any number of named ones
/// (resolved with <c>[FromKeyedServices("name")]</c>), made from the container's reactor (<c>services.AddReactor()</c>)
/// and disposed before it stops. Options come from a configuration section (<c>Url</c>, e.g. <c>kt://host:1978/db</c>, and any
/// <see cref="KtOptions"/> property by name) and from code, in that order, and are checked when the host starts.
/// </summary>
public static class KtServiceCollectionExtensions
{
    /// <summary>Adds the default client, for <paramref name="url"/>.</summary>
    public static IServiceCollection AddKtClient(this IServiceCollection services, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Add(services, null, null, _ => KtOptions.Parse(url));
    }

    /// <summary>Adds the default client, with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddKtClient(this IServiceCollection services, Func<KtOptions, KtOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, null, null, configure);
    }

    /// <summary>Adds the default client, with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddKtClient(this IServiceCollection services, IConfiguration configuration, Func<KtOptions, KtOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, null, configuration, configure);
    }

    /// <summary>Adds a named client (a keyed service), with options made by <paramref name="configure"/> from the defaults.</summary>
    public static IServiceCollection AddKtClient(this IServiceCollection services, string name, Func<KtOptions, KtOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, name, null, configure);
    }

    /// <summary>Adds a named client (a keyed service), with options from <paramref name="configuration"/>, then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddKtClient(this IServiceCollection services, string name, IConfiguration configuration, Func<KtOptions, KtOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, name, configuration, configure);
    }

    // The interface resolves to the same instance as the class, by the same name.
    private static IServiceCollection Add(IServiceCollection services, string? name, IConfiguration? configuration, Func<KtOptions, KtOptions>? configure)
    {
        services.AddClient<KtClient, KtOptions>("Kyoto Tycoon", name, configuration, configure, KtOptions.Parse, KtClient.Create, Validate);
        return name is null
            ? services.AddSingleton<IKtClient>(provider => provider.GetRequiredService<KtClient>())
            : services.AddKeyedSingleton<IKtClient>(name, (provider, key) => provider.GetRequiredKeyedService<KtClient>(key));
    }

    private static IEnumerable<string> Validate(KtOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            yield return "Host is empty (set Url or Host).";
        }

        if (options.Port is < 1 or > 65535)
        {
            yield return $"Port {options.Port} is not a TCP port (1-65535).";
        }
    }
}
