using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReactiveKv.Hosting;

namespace ReactiveKv.Redis;

/// <summary>Health checks of the container's <see cref="RedisClient"/>s (see <see cref="ConnectableClientHealthCheck"/>).</summary>
public static class RedisHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks the default client (<paramref name="clientName"/> null) or a named one: healthy when connected, degraded
    /// while reconnecting, <paramref name="failureStatus"/> (unhealthy) when the server is unreachable. The check is
    /// named <paramref name="checkName"/>, or <c>redis</c> / <c>redis:&lt;clientName&gt;</c>.
    /// </summary>
    public static IHealthChecksBuilder AddRedisClientCheck(this IHealthChecksBuilder builder, string? clientName = null, string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddClientCheck<RedisClient>(checkName ?? (clientName is null ? "redis" : "redis:" + clientName), clientName, failureStatus, tags);
}
