using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.Amqp;

/// <summary>
/// RabbitMQ tutorial four, "Routing": emit_log_direct.py publishes to the direct exchange <c>direct_logs</c> with the
/// severity as routing key; one receive_logs_direct.py binds <c>warning</c> and <c>error</c> (to write them to disk),
/// another binds all three severities (to show them on screen).
/// </summary>
public sealed class RabbitMqRoutingExample : AmqpExample
{
    private static readonly (string Severity, string Message)[] Logs =
        [("info", "Hello World!"), ("warning", "disk 90% full"), ("error", "Run. Run. Or it will explode."), ("info", "all quiet")];

    /// <inheritdoc />
    public override string Name => "rabbitmq-routing";

    /// <inheritdoc />
    public override string Description => "tutorial 4: a direct exchange 'direct_logs', receivers bound by severity";

    /// <inheritdoc />
    protected override async Task RunAsync(AmqpConnection connection, Names names, TextWriter output, CancellationToken cancellationToken)
    {
        var exchange = names.Exchange("direct_logs");
        string[][] bindings = [["warning", "error"], ["info", "warning", "error"]];
        var receivers = new List<Task<IList<string>>>();
        for (var i = 0; i < bindings.Length; i++)
        {
            var severities = bindings[i];
            var channel = connection.CreateChannel();
            await channel.ExchangeDeclare(exchange, "direct").WithCancellation(cancellationToken);
            var queue = await channel.QueueDeclare("", exclusive: true).WithCancellation(cancellationToken);
            foreach (var severity in severities)
            {
                await channel.QueueBind(queue.Name, exchange, severity).WithCancellation(cancellationToken);
            }

            var consumer = channel.Consume(queue.Name, new AmqpConsumeOptions { AutoAck = true });
            var receiver = i + 1;
            receivers.Add(consumer
                .Select(d => $"{d.RoutingKey}:{d.BodyText}")
                .Do(line => output.WriteLine($" [receiver {receiver}] {line}"))
                .Take(Logs.Count(l => severities.Contains(l.Severity)))
                .ToList()
                .ToTask(cancellationToken));
            await consumer.Started.WithCancellation(cancellationToken);
            output.WriteLine($" [receiver {receiver}] Waiting for {string.Join(", ", severities)} logs. To exit press CTRL+C");
        }

        var emitter = connection.CreateChannel();
        await emitter.ExchangeDeclare(exchange, "direct").WithCancellation(cancellationToken);
        foreach (var (severity, message) in Logs)
        {
            await emitter.Publish(exchange, severity, message).WithCancellation(cancellationToken);
            output.WriteLine($" [x] Sent {severity}:{message}");
        }

        // Messages of one channel arrive in order, so an info that should not have reached receiver 1 would be
        // among the first it got.
        var got = await Task.WhenAll(receivers);
        for (var i = 0; i < bindings.Length; i++)
        {
            var expected = Logs.Where(l => bindings[i].Contains(l.Severity)).Select(l => $"{l.Severity}:{l.Message}");
            Check.Sequence(expected, got[i], $"receiver {i + 1} ({string.Join(", ", bindings[i])})");
        }

        output.WriteLine($"receiver 1 got {got[0].Count} logs (warning, error), receiver 2 got {got[1].Count} (all)");
    }
}
