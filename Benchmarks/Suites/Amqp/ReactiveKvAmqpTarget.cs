namespace ReactiveKv.Benchmarks.Suites.Amqp;

/// <summary>
/// This project's AMQP client (<c>Protocols/Amqp/Client</c>: <c>AmqpConnection</c> / <c>AmqpChannel</c>) under the
/// suite's workloads. Not written yet: every member throws <see cref="NotImplementedException"/>, and the suite skips
/// this target with one note rather than report a figure for it.
/// </summary>
/// <remarks>
/// When the client lands, each method does what <see cref="IAmqpBenchTarget"/> says, the way
/// <see cref="RabbitMqClientTarget"/> does it with RabbitMQ.Client, so the two figures of a case compare like with like:
/// one connection with a plain channel, a confirm channel and a consume channel (prefetch set once); a second
/// connection for the RPC server side; the confirm case keeps its own sliding window of 1000 unconfirmed publishes.
/// </remarks>
internal sealed class ReactiveKvAmqpTarget : IAmqpBenchTarget
{
    private const string Pending = "filled in when Protocols/Amqp/Client lands";

    public string Name => "ours";

    public Task SetupAsync(string url, CancellationToken cancellationToken) => throw new NotImplementedException(Pending);

    public Task<long> PublishAsync(CancellationToken stop, string queue, int bodySize) => throw new NotImplementedException(Pending);

    public Task<long> PublishConfirmedAsync(CancellationToken stop, string queue, int bodySize, int window) => throw new NotImplementedException(Pending);

    public Task<long> ConsumeAsync(CancellationToken stop, string queue, long count, bool multipleAcks, ushort prefetch, int ackEvery) =>
        throw new NotImplementedException(Pending);

    public Task PrepareRpcAsync(string requestQueue, CancellationToken cancellationToken) => throw new NotImplementedException(Pending);

    public Task<long> RpcAsync(CancellationToken stop) => throw new NotImplementedException(Pending);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
