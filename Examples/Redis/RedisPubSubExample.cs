using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Redis;

namespace ReactiveKv.Examples.Redis;

/// <summary>redis-py's publish/subscribe helper pair: one side subscribes, the other publishes.</summary>
public sealed class RedisPubSubExample : RedisExample
{
    /// <inheritdoc />
    public override string Name => "redis-pubsub";

    /// <inheritdoc />
    public override string Description => "publish/subscribe: a subscriber and a publisher on one channel";

    /// <inheritdoc />
    protected override async Task RunAsync(Reactor reactor, RedisClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var channel = Prefix + "news";
        var stream = client.Subscribe(channel);
        var received = stream.Where(m => m.Kind == RedisMessageKind.Message).Take(3).Select(m => m.Text).ToList().ToTask(cancellationToken);
        await stream.FirstAsync(m => m.Kind == RedisMessageKind.Subscribed).ToTask(cancellationToken);
        foreach (var text in new[] { "hello", "from", "redis" })
        {
            var listeners = await client.Publish(channel, text);
            output.WriteLine($"PUBLISH {text} -> {listeners} subscriber(s)");
        }

        var messages = await received;
        output.WriteLine($"subscriber got: {string.Join(" ", messages)}");
        Check.Sequence(["hello", "from", "redis"], messages, "messages");
    }
}
