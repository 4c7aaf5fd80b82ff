namespace ReactiveKv.Amqp;

/// <summary>What queue.declare answered: the queue's name (the broker's choice for a server-named queue) and its counts.</summary>
/// <param name="Name">The queue's name.</param>
/// <param name="MessageCount">Messages ready in it.</param>
/// <param name="ConsumerCount">Consumers on it.</param>
public sealed record AmqpQueueInfo(string Name, uint MessageCount, uint ConsumerCount);
