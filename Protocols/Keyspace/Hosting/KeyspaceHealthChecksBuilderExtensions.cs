using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReactiveKv.Hosting;

namespace ReactiveKv.Keyspace;

/// <summary>Health checks of the container's <see cref="KeyspaceClient"/>s (see <see cref="ConnectableClientHealthCheck"/>).</summary>
public static class KeyspaceHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks the default client (<paramref name="clientName"/> null) or a named one: healthy when connected, degraded
    /// while reconnecting, <paramref name="failureStatus"/> (unhealthy) when the server is unreachable. The check is
    /// named <paramref name="checkName"/>, or <c>keyspace</c> / <c>keyspace:&lt;clientName&gt;</c>.
    /// </summary>
    public static IHealthChecksBuilder AddKeyspaceClientCheck(this IHealthChecksBuilder builder, string? clientName = null, string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddClientCheck<KeyspaceClient>(checkName ?? (clientName is null ? "keyspace" : "keyspace:" + clientName), clientName, failureStatus, tags);
}
