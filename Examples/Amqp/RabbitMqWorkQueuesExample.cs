using System.Collections.Concurrent;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.Amqp;

/// <summary>
/// RabbitMQ tutorial two, "Work Queues": new_task.py puts tasks on the durable queue <c>task_queue</c> as persistent
/// messages; two worker.py instances (prefetch 1, manual acks) take them in turn, each "working" a while per dot in
/// the body, so the busy worker gets no new task until it acked the last one.
/// </summary>
public sealed class RabbitMqWorkQueuesExample : AmqpExample
{
    /// <summary>The fake work per dot (the tutorial sleeps a second).</summary>
    private static readonly TimeSpan PerDot = TimeSpan.FromMilliseconds(100);

    private static readonly string[] Tasks = ["First message.", "Second message..", "Third message...", "Fourth message....", "Fifth message....."];

    /// <inheritdoc />
    public override string Name => "rabbitmq-work-queues";

    /// <inheritdoc />
    public override string Description => "tutorial 2: persistent tasks on a durable queue, two workers with prefetch 1 and acks";

    /// <inheritdoc />
    protected override async Task RunAsync(AmqpConnection connection, Names names, TextWriter output, CancellationToken cancellationToken)
    {
        var queue = names.Queue("task_queue");
        var done = new ConcurrentQueue<(int Worker, string Task)>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new List<Task>();
        for (var worker = 1; worker <= 2; worker++)
        {
            // worker.py: its own channel, the same durable queue, one unacknowledged task at a time.
            var channel = connection.CreateChannel();
            await channel.QueueDeclare(queue, durable: true).WithCancellation(cancellationToken);
            await channel.Qos(1).WithCancellation(cancellationToken);
            var consumer = channel.Consume(queue);
            workers.Add(WorkAsync(worker, consumer, done, output, stop.Token));
            await consumer.Started.WithCancellation(cancellationToken);
        }

        output.WriteLine($" [*] 2 workers waiting for tasks on '{queue}'. To exit press CTRL+C");

        // new_task.py: delivery_mode 2 (persistent) on a durable queue survives a broker restart.
        var producer = connection.CreateChannel();
        await producer.QueueDeclare(queue, durable: true).WithCancellation(cancellationToken);
        foreach (var task in Tasks)
        {
            await producer.Publish("", queue, task, new BasicProperties { DeliveryMode = 2 }).WithCancellation(cancellationToken);
            output.WriteLine($" [x] Sent '{task}'");
        }

        while (done.Count < Tasks.Length)
        {
            var failed = workers.FirstOrDefault(w => w.IsFaulted);
            if (failed is not null)
            {
                await failed;
            }

            await Task.Delay(20, cancellationToken);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var byWorker = done.GroupBy(d => d.Worker).OrderBy(g => g.Key).Select(g => $"worker {g.Key}: {g.Count()} task(s)");
        output.WriteLine($"all {Tasks.Length} tasks done ({string.Join(", ", byWorker)})");
        Check.Sequence(Tasks.Order(StringComparer.Ordinal), done.Select(d => d.Task).Order(StringComparer.Ordinal), "tasks done, each once");
        Check.That(done.Select(d => d.Worker).Distinct().Count() == 2, "both workers should have had work (prefetch 1 spreads it)");
        var left = await producer.QueueDeclarePassive(queue).WithCancellation(cancellationToken);
        Check.Equal(0u, left.MessageCount, "tasks left in the queue");
    }

    /// <summary>One worker: takes a task, sleeps a while per dot, acks, until stopped.</summary>
    private static async Task WorkAsync(int worker, AmqpConsumer consumer, ConcurrentQueue<(int, string)> done, TextWriter output, CancellationToken stop)
    {
        try
        {
            await foreach (var delivery in consumer.ReadAllAsync(cancellationToken: stop))
            {
                var task = delivery.BodyText;
                output.WriteLine($" [worker {worker}] Received '{task}'");
                await Task.Delay(PerDot * task.Count(c => c == '.'), stop);
                await delivery.Ack();
                output.WriteLine($" [worker {worker}] Done");
                done.Enqueue((worker, task));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The example is over: the worker stops consuming.
        }
    }
}
