using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.Amqp;

/// <summary>
/// RabbitMQ tutorial three, "Publish/Subscribe": emit_log.py publishes to the fanout exchange <c>logs</c>; two
/// receive_logs.py instances each bind an exclusive, server-named queue to it, and both get every message.
/// </summary>
public sealed class RabbitMqPubSubExample : AmqpExample
{
    private static readonly string[] Logs = ["info: Hello World!", "warning: disk 90% full", "error: disk full"];

    /// <inheritdoc />
    public override string Name => "rabbitmq-pubsub";

    /// <inheritdoc />
    public override string Description => "tutorial 3: a fanout exchange 'logs', two subscribers with exclusive server-named queues";

    /// <inheritdoc />
    protected override async Task RunAsync(AmqpConnection connection, Names names, TextWriter output, CancellationToken cancellationToken)
    {
        var exchange = names.Exchange("logs");
        var receivers = new List<Task<IList<string>>>();
        for (var i = 1; i <= 2; i++)
        {
            // receive_logs.py: a fresh empty queue the broker names, gone when this connection closes.
            var channel = connection.CreateChannel();
            await channel.ExchangeDeclare(exchange, "fanout").WithCancellation(cancellationToken);
            var queue = await channel.QueueDeclare("", exclusive: true).WithCancellation(cancellationToken);
            await channel.QueueBind(queue.Name, exchange).WithCancellation(cancellationToken);
            var consumer = channel.Consume(queue.Name, new AmqpConsumeOptions { AutoAck = true });
            var receiver = i;
            receivers.Add(consumer
                .Do(d => output.WriteLine($" [receiver {receiver}] {d.BodyText}"))
                .Select(d => d.BodyText)
                .Take(Logs.Length)
                .ToList()
                .ToTask(cancellationToken));
            await consumer.Started.WithCancellation(cancellationToken);
            output.WriteLine($" [receiver {i}] Waiting for logs on {queue.Name}. To exit press CTRL+C");
        }

        // emit_log.py: a fanout exchange ignores the routing key.
        var emitter = connection.CreateChannel();
        await emitter.ExchangeDeclare(exchange, "fanout").WithCancellation(cancellationToken);
        foreach (var log in Logs)
        {
            await emitter.Publish(exchange, "", log).WithCancellation(cancellationToken);
            output.WriteLine($" [x] Sent '{log}'");
        }

        var got = await Task.WhenAll(receivers);
        output.WriteLine($"both receivers got all {Logs.Length} logs");
        Check.Sequence(Logs, got[0], "receiver 1");
        Check.Sequence(Logs, got[1], "receiver 2");
    }
}
