namespace ReactiveKv.Benchmarks.Suites.Amqp;

/// <summary>
/// One AMQP client under test: the same workloads implemented with its own API, so the suite can run each case as a
/// pair (this project's client against RabbitMQ.Client) in alternating rounds.
/// </summary>
/// <remarks>
/// The suite owns the queues: it declares a fresh one per target per round (and fills it for the consume cases) on its
/// own admin connection, and deletes it after the round, so a target never declares anything. A target that is not
/// written yet throws <see cref="NotImplementedException"/> from <see cref="SetupAsync"/> (or from one case's method),
/// and the suite skips it with one note instead of reporting a figure.
/// </remarks>
internal interface IAmqpBenchTarget : IAsyncDisposable
{
    /// <summary>The name in RESULT lines: <c>ours</c> or <c>rabbitmq-client</c>.</summary>
    string Name { get; }

    /// <summary>Connects to the broker at <paramref name="url"/> (<c>amqp://user:pass@host:port/vhost</c>) and opens
    /// the channels the cases use; untimed.</summary>
    Task SetupAsync(string url, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes <paramref name="bodySize"/>-byte messages to <paramref name="queue"/> through the default exchange,
    /// without publisher confirms, one after another until <paramref name="stop"/> fires.
    /// </summary>
    /// <returns>How many messages were published.</returns>
    Task<long> PublishAsync(CancellationToken stop, string queue, int bodySize);

    /// <summary>
    /// Publishes <paramref name="bodySize"/>-byte messages to <paramref name="queue"/> on a channel in confirm mode,
    /// keeping <paramref name="window"/> unconfirmed messages in flight (a sliding window: each new publish waits for
    /// the confirm of the one <paramref name="window"/> before it), until <paramref name="stop"/> fires; then waits
    /// for the confirms still outstanding.
    /// </summary>
    /// <returns>How many messages were published and confirmed.</returns>
    Task<long> PublishConfirmedAsync(CancellationToken stop, string queue, int bodySize, int window);

    /// <summary>
    /// Consumes the <paramref name="count"/> messages the suite put in <paramref name="queue"/> with manual acks and
    /// a prefetch of <paramref name="prefetch"/>: an ack per message, or with <paramref name="multipleAcks"/> one
    /// multiple-ack every <paramref name="ackEvery"/> deliveries (and one for the last). Returns once the last message
    /// has arrived and its ack has been sent, after cancelling the consumer. <paramref name="stop"/> is only a
    /// safety limit: it fires if the broker stops delivering.
    /// </summary>
    /// <returns>How many messages were consumed (<paramref name="count"/>).</returns>
    Task<long> ConsumeAsync(CancellationToken stop, string queue, long count, bool multipleAcks, ushort prefetch, int ackEvery);

    /// <summary>
    /// Starts, once, the server side of the RPC case on a connection of its own: a consumer on
    /// <paramref name="requestQueue"/> that answers each request by publishing its body back to the request's
    /// <c>reply-to</c> with the same <c>correlation-id</c>; and the caller's channel consuming
    /// <c>amq.rabbitmq.reply-to</c> (direct reply-to, no-ack). Untimed; later calls do nothing.
    /// </summary>
    Task PrepareRpcAsync(string requestQueue, CancellationToken cancellationToken);

    /// <summary>
    /// One caller making RPC round trips until <paramref name="stop"/> fires: publish a 16-byte request to the
    /// request queue with <c>reply-to: amq.rabbitmq.reply-to</c> and a fresh <c>correlation-id</c>, await its reply.
    /// </summary>
    /// <returns>How many round trips completed.</returns>
    Task<long> RpcAsync(CancellationToken stop);
}
