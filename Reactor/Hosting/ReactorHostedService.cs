using Microsoft.Extensions.Hosting;

namespace ReactiveKv.Hosting;

/// <summary>
/// Runs a <see cref="Reactor"/> for the life of a generic host or ASP.NET app; on stop it first disposes the clients
/// the container made (<see cref="HostedClients"/>), while the reactor still runs to close their connections, then
/// stops the reactor.
/// </summary>
public sealed class ReactorHostedService(Reactor reactor, HostedClients? clients = null) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        reactor.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (clients is not null)
            {
                await clients.DisposeAllAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await reactor.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
