using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ReactiveKv.Hosting;

/// <summary>Registers a reactor in a service collection.</summary>
public static class ReactorServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="Reactor"/> (logging through the container's <see cref="ILoggerFactory"/> when there is one)
    /// and a hosted service that starts it with the host and stops it with the host, after disposing the clients the
    /// container made (<c>AddRedisClient</c> and the others).
    /// </summary>
    public static IServiceCollection AddReactor(this IServiceCollection services, Func<ReactorOptions, ReactorOptions>? configure = null)
    {
        services.TryAddSingleton(sp =>
        {
            var options = new ReactorOptions { LoggerFactory = sp.GetService<ILoggerFactory>() };
            return new Reactor(configure?.Invoke(options) ?? options);
        });
        services.TryAddSingleton<HostedClients>();
        services.AddHostedService(sp => new ReactorHostedService(sp.GetRequiredService<Reactor>(), sp.GetRequiredService<HostedClients>()));
        return services;
    }
}
