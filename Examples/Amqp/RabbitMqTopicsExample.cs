using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.Amqp;

/// <summary>
/// RabbitMQ tutorial five, "Topics": emit_log_topic.py publishes to the topic exchange <c>topic_logs</c> with
/// <c>&lt;facility&gt;.&lt;severity&gt;</c> keys; one receive_logs_topic.py binds <c>*.critical</c> (one word, then
/// critical), another <c>kern.#</c> (kern, then zero or more words).
/// </summary>
public sealed class RabbitMqTopicsExample : AmqpExample
{
    private static readonly (string Key, string Message)[] Logs =
    [
        ("app.info", "nobody listens to this one"),
        ("kern.critical", "A critical kernel error"),
        ("kern.info", "kernel booted"),
        ("cron.critical", "cron died"),
        ("kern.disk.full", "disk full"),
        ("kern", "just kern"),
    ];

    /// <inheritdoc />
    public override string Name => "rabbitmq-topics";

    /// <inheritdoc />
    public override string Description => "tutorial 5: a topic exchange 'topic_logs', receivers bound to *.critical and kern.#";

    /// <inheritdoc />
    protected override async Task RunAsync(AmqpConnection connection, Names names, TextWriter output, CancellationToken cancellationToken)
    {
        var exchange = names.Exchange("topic_logs");
        (string Pattern, string[] Expected)[] receivers =
        [
            ("*.critical", ["kern.critical", "cron.critical"]),
            ("kern.#", ["kern.critical", "kern.info", "kern.disk.full", "kern"]),
        ];
        var received = new List<Task<IList<string>>>();
        for (var i = 0; i < receivers.Length; i++)
        {
            var (pattern, expected) = receivers[i];
            var channel = connection.CreateChannel();
            await channel.ExchangeDeclare(exchange, "topic").WithCancellation(cancellationToken);
            var queue = await channel.QueueDeclare("", exclusive: true).WithCancellation(cancellationToken);
            await channel.QueueBind(queue.Name, exchange, pattern).WithCancellation(cancellationToken);
            var consumer = channel.Consume(queue.Name, new AmqpConsumeOptions { AutoAck = true });
            var receiver = i + 1;
            received.Add(consumer
                .Select(d => d.RoutingKey)
                .Do(key => output.WriteLine($" [receiver {receiver}, {pattern}] {key}"))
                .Take(expected.Length)
                .ToList()
                .ToTask(cancellationToken));
            await consumer.Started.WithCancellation(cancellationToken);
            output.WriteLine($" [receiver {receiver}] Waiting for logs matching '{pattern}'. To exit press CTRL+C");
        }

        var emitter = connection.CreateChannel();
        await emitter.ExchangeDeclare(exchange, "topic").WithCancellation(cancellationToken);
        foreach (var (key, message) in Logs)
        {
            await emitter.Publish(exchange, key, message).WithCancellation(cancellationToken);
            output.WriteLine($" [x] Sent {key}:{message}");
        }

        // app.info went first: had it been routed anywhere, it would head that receiver's list.
        var got = await Task.WhenAll(received);
        for (var i = 0; i < receivers.Length; i++)
        {
            Check.Sequence(receivers[i].Expected, got[i], $"keys matching {receivers[i].Pattern}");
            output.WriteLine($"'{receivers[i].Pattern}' matched: {string.Join(", ", got[i])}");
        }
    }
}
