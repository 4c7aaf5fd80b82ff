using Microsoft.Extensions.Hosting;

namespace ReactiveKv.Hosting;

/// <summary>Runs a <see cref="Reactor"/> for the life of a generic host or ASP.NET app.</summary>
public sealed class ReactorHostedService(Reactor reactor) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        reactor.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => reactor.StopAsync().WaitAsync(cancellationToken);
}
