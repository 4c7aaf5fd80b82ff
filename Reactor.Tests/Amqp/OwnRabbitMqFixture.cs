using System.Runtime.CompilerServices;
using ReactiveKv.Amqp.Testing;

namespace ReactiveKv.Tests.Amqp;

/// <summary>
/// A RabbitMQ broker of its own for the tests that kill, restart or alarm it (collection "rabbitmq-own"), so the
/// shared broker of the "rabbitmq" collection is never disturbed. Its tests run one at a time, each on its own vhost.
/// </summary>
public sealed class OwnRabbitMqFixture : IAsyncLifetime
{
    private int _vhosts;

    public RabbitMqBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await RabbitMqBroker.StartAsync();

    public async Task DisposeAsync()
    {
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }
    }

    /// <summary>A new vhost named after the calling test, guest allowed everything on it; returns its name and AMQP URL.</summary>
    public async Task<(string Vhost, string Url)> NewVhostAsync([CallerMemberName] string test = "")
    {
        var vhost = $"{test}-{Interlocked.Increment(ref _vhosts)}";
        return (vhost, await Broker.AddVhostAsync(vhost));
    }
}

/// <summary>The tests that need a broker of their own (kill -9, restart, memory alarm): one broker, one test at a time.</summary>
[CollectionDefinition("rabbitmq-own")]
public sealed class OwnRabbitMqCollection : ICollectionFixture<OwnRabbitMqFixture>
{
}
