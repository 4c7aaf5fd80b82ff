using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.Amqp;

/// <summary>
/// RabbitMQ tutorial seven, "Publisher Confirms": 10,000 messages on a confirming channel, at most a window of them
/// unconfirmed at a time (the tutorial's "handling confirms asynchronously"), timed; then one mandatory publish no
/// queue takes, which the broker returns (and the publish fails as returned).
/// </summary>
public sealed class RabbitMqConfirmsExample : AmqpExample
{
    /// <summary>How many messages are published.</summary>
    public const int MessageCount = 10_000;

    /// <summary>How many may await their confirm at once.</summary>
    public const int Window = 500;

    /// <inheritdoc />
    public override string Name => "rabbitmq-confirms";

    /// <inheritdoc />
    public override string Description => "tutorial 7: publisher confirms, 10,000 messages with a window, and a mandatory one returned";

    /// <inheritdoc />
    protected override async Task RunAsync(AmqpConnection connection, Names names, TextWriter output, CancellationToken cancellationToken)
    {
        var queue = names.Queue("confirms");
        var channel = connection.CreateChannel(confirms: true);
        await channel.QueueDeclare(queue, autoDelete: true).WithCancellation(cancellationToken);

        // Each publish's Deferred settles on the broker's ack; the semaphore keeps the window. (Not disposed: a
        // publish still settling after a cancellation releases it late, and it holds no wait handle.)
        var window = new SemaphoreSlim(Window);
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(MessageCount);
        for (var i = 0; i < MessageCount; i++)
        {
            await window.WaitAsync(cancellationToken);
            var publish = channel.Publish("", queue, $"message {i}").ToTask(cancellationToken);
            pending.Add(publish.ContinueWith(
                t =>
                {
                    if (!t.IsCompletedSuccessfully)
                    {
                        Interlocked.Increment(ref failures);
                    }

                    window.Release();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default));
        }

        await Task.WhenAll(pending);
        clock.Stop();
        output.WriteLine($"Published {MessageCount:N0} messages and handled confirms asynchronously (window {Window}) in {clock.ElapsedMilliseconds:N0} ms ({MessageCount / clock.Elapsed.TotalSeconds:N0} msg/s)");
        Check.Equal(0, failures, "publishes nacked or failed");
        var info = await channel.QueueDeclarePassive(queue).WithCancellation(cancellationToken);
        output.WriteLine($"'{queue}' holds {info.MessageCount:N0} messages");
        Check.Equal((uint)MessageCount, info.MessageCount, "messages in the queue");

        // mandatory: the broker returns what no queue takes (then acks it), and the publish fails as returned.
        var nowhere = $"nobody-listens.{names.Suffix}";
        var returned = channel.Returns.FirstAsync().ToTask(cancellationToken);
        try
        {
            await channel.Publish("", nowhere, "lost?", mandatory: true).WithCancellation(cancellationToken);
            throw new ExampleFailedException($"a mandatory publish to '{nowhere}' was confirmed, not returned");
        }
        catch (AmqpPublishException e) when (e.Returned)
        {
            var message = await returned;
            output.WriteLine($"Mandatory publish to '{nowhere}' returned: {e.ReplyCode} {e.ReplyText} (body '{System.Text.Encoding.UTF8.GetString(message.Body.Span)}')");
            Check.Equal(312, (int)e.ReplyCode, "reply code of the return");
            Check.Equal(nowhere, message.RoutingKey, "routing key of the returned message");
        }

        Check.Equal((uint)MessageCount, await channel.QueuePurge(queue).WithCancellation(cancellationToken), "messages purged");
    }
}
