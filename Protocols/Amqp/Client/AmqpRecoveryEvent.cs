namespace ReactiveKv.Amqp;

/// <summary>One step of a connection's recovery.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Detail">What it concerned (a queue, a consumer tag, the number of entities recovered).</param>
/// <param name="Error">The loss or failure, when there was one.</param>
public sealed record AmqpRecoveryEvent(AmqpRecoveryEventKind Kind, string Detail, Exception? Error = null);
