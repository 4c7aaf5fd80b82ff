using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReactiveKv.Hosting;

namespace ReactiveKv.Amqp;

/// <summary>Health checks of the container's <see cref="AmqpConnection"/>s (see <see cref="ConnectableClientHealthCheck"/>).</summary>
public static class AmqpHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks the default connection (<paramref name="clientName"/> null) or a named one: healthy when connected, degraded
    /// while reconnecting, <paramref name="failureStatus"/> (unhealthy) when the server is unreachable. The check is
    /// named <paramref name="checkName"/>, or <c>amqp</c> / <c>amqp:&lt;clientName&gt;</c>.
    /// </summary>
    public static IHealthChecksBuilder AddAmqpClientCheck(this IHealthChecksBuilder builder, string? clientName = null, string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddClientCheck<AmqpConnection>(checkName ?? (clientName is null ? "amqp" : "amqp:" + clientName), clientName, failureStatus, tags);
}
