using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReactiveKv.Hosting;

/// <summary>What every backend's <c>AddXClientCheck</c> does: a <see cref="ConnectableClientHealthCheck"/> on the container's client.</summary>
public static class ClientHealthChecks
{
    /// <summary>Adds a health check of the default client (<paramref name="clientName"/> null) or of a named one.</summary>
    /// <typeparam name="TClient">The client type, as registered.</typeparam>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="checkName">The check's name.</param>
    /// <param name="clientName">The client's name; null for the default client.</param>
    /// <param name="failureStatus">What an unreachable server reports; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">The check's tags.</param>
    /// <param name="probeTimeout">How long a probe of an idle client may take; default 5 s.</param>
    public static IHealthChecksBuilder AddClientCheck<TClient>(
        this IHealthChecksBuilder builder,
        string checkName,
        string? clientName = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? probeTimeout = null)
        where TClient : class, IConnectableClient
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            checkName,
            provider => new ConnectableClientHealthCheck(ClientRegistration.Resolve<TClient>(provider, clientName)) { ProbeTimeout = probeTimeout ?? TimeSpan.FromSeconds(5) },
            failureStatus,
            tags));
    }
}
