using System.Reactive.Linq;
using ReactiveKv.Amqp;

namespace ReactiveKv.Benchmarks.Suites.Amqp;

/// <summary>
/// This project's AMQP client under the suite's workloads, written as its users would: one connection with a plain
/// channel, a confirm channel (its window is the suite's sliding window of Deferreds) and a consume channel (prefetch
/// set once), acks from the delivery callback; the RPC server on a second connection (its non-blocking handler
/// subscribed on the loop, Twisted-style) and the caller through <see cref="AmqpRpcClient"/>.
/// </summary>
internal sealed class ReactiveKvAmqpTarget(ReactorOptions reactorOptions) : IAmqpBenchTarget
{
    private Reactor? _reactor;
    private AmqpConnection? _connection;
    private AmqpConnection? _rpcServerConnection;
    private AmqpChannel? _publish;
    private AmqpChannel? _confirm;
    private AmqpChannel? _consume;
    private AmqpRpcClient? _rpc;
    private IDisposable? _rpcServing;
    private string _rpcQueue = "";

    // RKV_BENCH_ON_LOOP=1 measures the reactor's Twisted mode (ReactorOptions.ResumeAwaitersOnLoop): code after an
    // await runs on the loop that settled it, with no hop to the thread pool. The suite's RATIO lines compare "ours".
    private static readonly bool OnLoop = Environment.GetEnvironmentVariable("RKV_BENCH_ON_LOOP") == "1";

    public string Name => OnLoop ? "ours-on-loop" : "ours";

    public async Task SetupAsync(string url, CancellationToken cancellationToken)
    {
        _reactor = new Reactor(reactorOptions with { ResumeAwaitersOnLoop = OnLoop });
        _reactor.Start();
        _connection = await AmqpConnection.ConnectAsync(_reactor, AmqpOptions.Parse(url) with { ConnectionName = "rkv-bench ours" }, cancellationToken);
        _publish = _connection.CreateChannel();
        _confirm = _connection.CreateChannel(confirms: true);
        _consume = _connection.CreateChannel();
    }

    public async Task<long> PublishAsync(CancellationToken stop, string queue, int bodySize)
    {
        var channel = _publish ?? throw new InvalidOperationException("Not set up.");
        ReadOnlyMemory<byte> body = new byte[bodySize];
        long n = 0;
        while (!stop.IsCancellationRequested)
        {
            await channel.Publish("", queue, body);
            n++;
        }

        return n;
    }

    public async Task<long> PublishConfirmedAsync(CancellationToken stop, string queue, int bodySize, int window)
    {
        var channel = _confirm ?? throw new InvalidOperationException("Not set up.");
        ReadOnlyMemory<byte> body = new byte[bodySize];
        var inFlight = new Deferred<System.Reactive.Unit>[window];
        long issued = 0;
        while (!stop.IsCancellationRequested)
        {
            var slot = (int)(issued % window);
            if (issued >= window)
            {
                await inFlight[slot];
            }

            inFlight[slot] = channel.Publish("", queue, body);
            issued++;
        }

        for (var i = Math.Max(0, issued - window); i < issued; i++)
        {
            await inFlight[(int)(i % window)];
        }

        return issued;
    }

    public async Task<long> ConsumeAsync(CancellationToken stop, string queue, long count, bool multipleAcks, ushort prefetch, int ackEvery)
    {
        var channel = _consume ?? throw new InvalidOperationException("Not set up.");
        await channel.Qos(prefetch);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long received = 0;
        var consumer = channel.Consume(queue);
        using (consumer.Subscribe(delivery =>
        {
            // Deliveries come one at a time, in order, off the loop.
            var seen = ++received;
            if (!multipleAcks)
            {
                delivery.Ack();
            }
            else if (seen % ackEvery == 0 || seen == count)
            {
                delivery.Ack(multiple: true);
            }

            if (seen == count)
            {
                done.TrySetResult();
            }
        }))
        {
            await done.Task.WaitAsync(stop);
        }

        return received;
    }

    public async Task PrepareRpcAsync(string requestQueue, CancellationToken cancellationToken)
    {
        if (_rpc is not null)
        {
            return;
        }

        _rpcServerConnection = await AmqpConnection.ConnectAsync(_reactor!, _connection!.Options with { ConnectionName = "rkv-bench ours rpc-server" }, cancellationToken);
        var server = _rpcServerConnection.CreateChannel();
        var serving = server.Consume(requestQueue, new AmqpConsumeOptions { AutoAck = true });

        // The Twisted way for a handler that never blocks: subscribed on the connection's loop, it runs there, and its
        // reply is written in the same turn (no hop to the pool and back).
        _rpcServing = await _rpcServerConnection.Loop.InvokeAsync(() => serving.Subscribe(request =>
            server.Publish("", request.Properties.ReplyTo!, request.Body, new BasicProperties { CorrelationId = request.Properties.CorrelationId })));
        await serving.Started.WithCancellation(cancellationToken);
        _rpc = await AmqpRpcClient.CreateAsync(_connection, cancellationToken);
        _rpcQueue = requestQueue;
    }

    public async Task<long> RpcAsync(CancellationToken stop)
    {
        var rpc = _rpc ?? throw new InvalidOperationException("PrepareRpcAsync first.");
        ReadOnlyMemory<byte> body = new byte[16];
        long n = 0;
        while (!stop.IsCancellationRequested)
        {
            await rpc.Call("", _rpcQueue, body, timeout: TimeSpan.FromSeconds(30));
            n++;
        }

        return n;
    }

    public async ValueTask DisposeAsync()
    {
        _rpcServing?.Dispose();
        if (_rpc is not null)
        {
            await _rpc.DisposeAsync();
        }

        foreach (var connection in new[] { _rpcServerConnection, _connection })
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        if (_reactor is not null)
        {
            await _reactor.DisposeAsync();
        }
    }
}
