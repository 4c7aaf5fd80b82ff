using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReactiveKv.Hosting;

/// <summary>
/// A client's health from its <see cref="IConnectableClient.ConnectionState"/>: healthy when connected, degraded while
/// connecting or reconnecting, the registration's failure status (unhealthy by default) when the server is
/// unreachable or the client disposed. A client with no connection in use (a lazy one not used yet, or gone quiet
/// after a loss) is probed: it connects, bounded by <see cref="ProbeTimeout"/>.
/// </summary>
public sealed class ConnectableClientHealthCheck(IConnectableClient client) : IHealthCheck
{
    /// <summary>How long a probe of an idle client may take.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        var state = client.ConnectionState;
        var data = new Dictionary<string, object> { ["state"] = state.ToString() };
        var error = client.LastConnectionError;
        switch (state)
        {
            case ClientConnectionState.Connected:
                return HealthCheckResult.Healthy("Connected.", data);
            case ClientConnectionState.Connecting:
                return HealthCheckResult.Degraded("Connecting.", null, data);
            case ClientConnectionState.Reconnecting:
                return HealthCheckResult.Degraded(Because("Reconnecting", error), error, data);
            case ClientConnectionState.Unreachable:
                return new HealthCheckResult(failure, Because("Unreachable", error), error, data);
            case ClientConnectionState.Closed:
                return new HealthCheckResult(failure, "Disposed.", null, data);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
            data["state"] = client.ConnectionState.ToString();
            return HealthCheckResult.Healthy("Connected (probed: the client was idle).", data);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, Because("Unreachable", e), e, data);
        }
    }

    private static string Because(string what, Exception? error) => error is null ? what + "." : $"{what}: {error.Message}";
}
