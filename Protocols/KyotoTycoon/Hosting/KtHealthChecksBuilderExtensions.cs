using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReactiveKv.Hosting;

namespace ReactiveKv.KyotoTycoon;

/// <summary>Health checks of the container's <see cref="KtClient"/>s (see <see cref="ConnectableClientHealthCheck"/>).</summary>
public static class KtHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks the default client (<paramref name="clientName"/> null) or a named one: healthy when connected, degraded
    /// while reconnecting, <paramref name="failureStatus"/> (unhealthy) when the server is unreachable. The check is
    /// named <paramref name="checkName"/>, or <c>kt</c> / <c>kt:&lt;clientName&gt;</c>.
    /// </summary>
    public static IHealthChecksBuilder AddKtClientCheck(this IHealthChecksBuilder builder, string? clientName = null, string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddClientCheck<KtClient>(checkName ?? (clientName is null ? "kt" : "kt:" + clientName), clientName, failureStatus, tags);
}
