using System.Globalization;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.Amqp;

/// <summary>
/// RabbitMQ tutorial six, "RPC": rpc_server.py answers Fibonacci requests from <c>rpc_queue</c> (prefetch 1), replying
/// to each request's <c>reply_to</c> with its <c>correlation_id</c>; the client is <see cref="AmqpRpcClient"/> (direct
/// reply-to), with several calls in flight at once.
/// </summary>
public sealed class RabbitMqRpcExample : AmqpExample
{
    /// <inheritdoc />
    public override string Name => "rabbitmq-rpc";

    /// <inheritdoc />
    public override string Description => "tutorial 6: a Fibonacci server on rpc_queue, called through AmqpRpcClient";

    /// <summary>fib as the tutorial defines it (iteratively: the tutorial's recursion takes a while for 30).</summary>
    public static long Fib(int n)
    {
        var (a, b) = (0L, 1L);
        for (var i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return a;
    }

    /// <inheritdoc />
    protected override async Task RunAsync(AmqpConnection connection, Names names, TextWriter output, CancellationToken cancellationToken)
    {
        var queue = names.Queue("rpc_queue");

        // rpc_server.py: one request at a time, the reply to reply_to with the request's correlation id, then the ack.
        var server = connection.CreateChannel();
        await server.QueueDeclare(queue).WithCancellation(cancellationToken);
        await server.Qos(1).WithCancellation(cancellationToken);
        var requests = server.Consume(queue);
        using var serving = requests.Subscribe(request =>
        {
            var n = int.Parse(request.BodyText, CultureInfo.InvariantCulture);
            output.WriteLine($" [.] fib({n})");
            var reply = new BasicProperties { CorrelationId = request.Properties.CorrelationId };
            server.Publish("", request.Properties.ReplyTo!, Fib(n).ToString(CultureInfo.InvariantCulture), reply);
            request.Ack();
        });
        await requests.Started.WithCancellation(cancellationToken);
        output.WriteLine($" [x] Awaiting RPC requests on '{queue}'");

        // rpc_client.py, as a library class: direct reply-to, one correlation id per call.
        await using var rpc = await AmqpRpcClient.CreateAsync(connection, cancellationToken);
        output.WriteLine(" [x] Requesting fib(30)");
        var answer = await rpc.Call("", queue, "30").WithCancellation(cancellationToken);
        output.WriteLine($" [.] Got {answer.BodyText}");
        Check.Equal("832040", answer.BodyText, "fib(30)");

        // Calls in flight together: the correlation ids sort the replies out.
        var ns = Enumerable.Range(1, 10).ToArray();
        output.WriteLine($" [x] Requesting fib({string.Join(", ", ns)}) at once");
        var calls = ns.Select(n => rpc.Call("", queue, n.ToString(CultureInfo.InvariantCulture)).ToTask(cancellationToken));
        var answers = (await Task.WhenAll(calls)).Select(a => a.BodyText).ToArray();
        output.WriteLine($" [.] Got {string.Join(", ", answers)}");
        Check.Sequence(ns.Select(n => Fib(n).ToString(CultureInfo.InvariantCulture)), answers, "fib(1..10)");
        Check.Equal(0, rpc.Pending, "calls still waiting");
    }
}
