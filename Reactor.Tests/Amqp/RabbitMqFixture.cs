using System.Runtime.CompilerServices;
using ReactiveKv.Amqp.Testing;

namespace ReactiveKv.Tests.Amqp;

/// <summary>One RabbitMQ broker on loopback shared by the tests of the "rabbitmq" collection.</summary>
public sealed class RabbitMqFixture : IAsyncLifetime
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

    /// <summary>A new vhost named after the calling test, guest allowed everything on it; returns its AMQP URL.</summary>
    public Task<string> NewVhostAsync([CallerMemberName] string test = "") => Broker.AddVhostAsync(VhostName(test));

    /// <summary>A vhost name unique to this run: the test's name and a counter.</summary>
    public string VhostName([CallerMemberName] string test = "") => $"{test}-{Interlocked.Increment(ref _vhosts)}";
}
