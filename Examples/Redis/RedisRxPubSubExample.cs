using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>
/// An Rx pipeline over pub/sub: readings are buffered per time window on the reactor's clock (the reactor is the Rx
/// scheduler, so the windows close on its main loop, and a virtual clock would drive them in tests) and aggregated.
/// </summary>
public sealed class RedisRxPubSubExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "redis-rx-pubsub";

    /// <inheritdoc />
    public override string Description => "Rx over pub/sub: buffer readings by time on the reactor clock, sum, print";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var channel = Prefix + "readings";
        var stream = client.Subscribe(channel);
        var total = stream
            .Where(m => m.Kind == RedisMessageKind.Message)
            .Select(m => int.Parse(m.Text, CultureInfo.InvariantCulture))
            .TakeWhile(v => v >= 0)
            .Buffer(TimeSpan.FromMilliseconds(100), reactor)
            .Where(window => window.Count > 0)
            .Do(window => output.WriteLine($"window: {window.Count} readings, sum {window.Sum()}"))
            .Select(window => window.Sum())
            .Sum()
            .ToTask(cancellationToken);
        await stream.FirstAsync(m => m.Kind == RedisMessageKind.Subscribed).ToTask(cancellationToken);
        for (var i = 1; i <= 50; i++)
        {
            await client.Publish(channel, i);
        }

        await client.Publish(channel, -1);
        var sum = await total;
        output.WriteLine($"total {sum}");
        Check.Equal(1275, sum, "sum of 1..50");
    }
}
