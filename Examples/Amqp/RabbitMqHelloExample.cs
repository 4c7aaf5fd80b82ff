using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.Amqp;

/// <summary>RabbitMQ tutorial one, "Hello World!": send.py puts one message on the queue <c>hello</c>, receive.py consumes it.</summary>
public sealed class RabbitMqHelloExample : AmqpExample
{
    /// <inheritdoc />
    public override string Name => "rabbitmq-hello";

    /// <inheritdoc />
    public override string Description => "tutorial 1: send 'Hello World!' to the queue hello, receive it";

    /// <inheritdoc />
    protected override async Task RunAsync(AmqpConnection connection, Names names, TextWriter output, CancellationToken cancellationToken)
    {
        var queue = names.Queue("hello");

        // receive.py: declare the queue too (whichever side starts first creates it), then consume with auto-ack.
        var receiver = connection.CreateChannel();
        await receiver.QueueDeclare(queue).WithCancellation(cancellationToken);
        var consumer = receiver.Consume(queue, new AmqpConsumeOptions { AutoAck = true });
        var received = consumer.Select(d => d.BodyText).FirstAsync().ToTask(cancellationToken);
        await consumer.Started.WithCancellation(cancellationToken);
        output.WriteLine($" [*] Waiting for messages on '{queue}'. To exit press CTRL+C");

        // send.py: the default exchange routes by queue name.
        var sender = connection.CreateChannel();
        await sender.QueueDeclare(queue).WithCancellation(cancellationToken);
        await sender.Publish("", queue, "Hello World!").WithCancellation(cancellationToken);
        output.WriteLine(" [x] Sent 'Hello World!'");

        var body = await received;
        output.WriteLine($" [x] Received '{body}'");
        Check.Equal("Hello World!", body, "received");
        Check.Equal(0u, (await sender.QueueDeclarePassive(queue).WithCancellation(cancellationToken)).MessageCount, "messages left in the queue");
    }
}
