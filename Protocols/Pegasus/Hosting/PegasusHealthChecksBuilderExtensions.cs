using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReactiveKv.Hosting;

namespace ReactiveKv.Pegasus;

/// <summary>Health checks of the container's <see cref="PegasusClient"/>s (see <see cref="ConnectableClientHealthCheck"/>).</summary>
public static class PegasusHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks the default client (<paramref name="clientName"/> null) or a named one: healthy when connected, degraded
    /// while reconnecting, <paramref name="failureStatus"/> (unhealthy) when the server is unreachable. The check is
    /// named <paramref name="checkName"/>, or <c>pegasus</c> / <c>pegasus:&lt;clientName&gt;</c>.
    /// </summary>
    public static IHealthChecksBuilder AddPegasusClientCheck(this IHealthChecksBuilder builder, string? clientName = null, string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddClientCheck<PegasusClient>(checkName ?? (clientName is null ? "pegasus" : "pegasus:" + clientName), clientName, failureStatus, tags);
}
