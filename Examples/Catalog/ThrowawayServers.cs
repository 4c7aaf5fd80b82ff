using ReactiveKv.Amqp.Testing;
using ReactiveKv.Redis.Testing;

namespace ReactiveKv.Examples.Catalog;

/// <summary>
/// The real servers <c>all</c> starts for itself: when no server was named (option or environment), none answers at
/// the default address, and one is installed here, a throwaway redis-server or RabbitMQ broker on a free loopback
/// port runs the examples that need it, and is stopped afterwards.
/// </summary>
internal sealed class ThrowawayServers : IAsyncDisposable
{
    private RedisServerProcess? _redis;
    private RabbitMqBroker? _broker;

    /// <summary>The Redis URL to use: <paramref name="url"/>, or a throwaway server's when none answers there and none was named.</summary>
    public async Task<string> RedisAsync(string url, bool named, TextWriter output)
    {
        if (named || !RedisServerProcess.IsInstalled || await Examples.Redis.RedisExample.ProbeAsync(url) is null)
        {
            return url;
        }

        _redis = await RedisServerProcess.StartAsync();
        output.WriteLine($"started a throwaway redis-server at {_redis.Url} (none answered at {ServiceUrl.Redact(url)})");
        return _redis.Url;
    }

    /// <summary>The AMQP URL to use: <paramref name="url"/>, or a throwaway broker's when none answers there and none was named.</summary>
    public async Task<string> AmqpAsync(string url, bool named, TextWriter output)
    {
        if (named || !RabbitMqBroker.IsInstalled || await Examples.Amqp.AmqpExample.ProbeAsync(url) is null)
        {
            return url;
        }

        _broker = await RabbitMqBroker.StartAsync();
        output.WriteLine($"started a throwaway RabbitMQ broker at 127.0.0.1:{_broker.Port} in {_broker.BootTime.TotalSeconds:0.0} s (none answered at {AmqpOptionsText(url)})");
        return _broker.Url;
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private static string AmqpOptionsText(string url)
    {
        try
        {
            return ReactiveKv.Amqp.AmqpOptions.Parse(url).Describe();
        }
        catch (FormatException)
        {
            return "the AMQP URL given";
        }
    }
}
