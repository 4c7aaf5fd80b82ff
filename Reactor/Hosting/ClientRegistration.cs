using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReactiveKv.Hosting;

/// <summary>
/// What every backend's <c>AddXClient</c> does: options from configuration and code, checked when the host starts,
/// and a singleton client (keyed by name for named clients) made from the reactor, disposed before the reactor stops.
/// </summary>
public static class ClientRegistration
{
    /// <summary>The configuration key holding the client's URL (<c>redis://…</c>, <c>kt://…</c>); the other keys name options properties.</summary>
    public const string UrlKey = "Url";

    /// <summary>Registers one client of a backend.</summary>
    /// <typeparam name="TClient">The client type.</typeparam>
    /// <typeparam name="TOptions">The backend's options type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="backend">The backend's name, for messages.</param>
    /// <param name="name">The client's name: null for the default client (resolved without a key), else the service key of a named one.</param>
    /// <param name="configuration">A configuration section: <see cref="UrlKey"/> and options properties; null for none.</param>
    /// <param name="configure">Changes the options after the configuration was applied; null for none.</param>
    /// <param name="parse">The backend's URL parser.</param>
    /// <param name="create">Makes the client.</param>
    /// <param name="validate">The backend's own checks of the options, as messages; null for only the shared ones.</param>
    public static IServiceCollection AddClient<TClient, TOptions>(
        this IServiceCollection services,
        string backend,
        string? name,
        IConfiguration? configuration,
        Func<TOptions, TOptions>? configure,
        Func<string, TOptions> parse,
        Func<Reactor, TOptions, TClient> create,
        Func<TOptions, IEnumerable<string>>? validate = null)
        where TClient : class, IConnectableClient
        where TOptions : class, IClientOptions, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(create);
        if (name is { Length: 0 })
        {
            throw new ArgumentException("A named client needs a non-empty name; pass null for the default client.", nameof(name));
        }

        var optionsName = name ?? Microsoft.Extensions.Options.Options.DefaultName;
        var builder = services.AddOptions<ClientSettings<TOptions>>(optionsName);
        if (configuration is not null)
        {
            builder.Configure(settings => ClientConfiguration.Apply(settings, configuration, parse));
        }

        if (configure is not null)
        {
            builder.Configure(settings => settings.Options = configure(settings.Options));
        }

        services.AddSingleton<IValidateOptions<ClientSettings<TOptions>>>(new ClientSettingsValidator<TOptions>(optionsName, backend, validate));
        builder.ValidateOnStart();
        services.TryAddSingleton<HostedClients>();

        TClient Make(IServiceProvider provider)
        {
            var reactor = provider.GetService<Reactor>() ?? throw new InvalidOperationException(
                $"The {backend} client {Describe(name)} needs a reactor: call services.AddReactor() as well.");
            var options = provider.GetRequiredService<IOptionsMonitor<ClientSettings<TOptions>>>().Get(optionsName).Options;
            var client = create(reactor, options);
            provider.GetRequiredService<HostedClients>().Add(client);
            return client;
        }

        if (name is null)
        {
            services.AddSingleton(Make);
        }
        else
        {
            services.AddKeyedSingleton(name, (provider, _) => Make(provider));
        }

        return services;
    }

    /// <summary>Resolves the default client (<paramref name="name"/> null) or a named one.</summary>
    public static TClient Resolve<TClient>(IServiceProvider provider, string? name)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(provider);
        return name is null ? provider.GetRequiredService<TClient>() : provider.GetRequiredKeyedService<TClient>(name);
    }

    /// <summary>How messages name a client.</summary>
    internal static string Describe(string? name) => string.IsNullOrEmpty(name) ? "(the default one)" : $"'{name}'";
}
