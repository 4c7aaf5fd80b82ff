using RabbitMQ.Client;

namespace ReactiveKv.Benchmarks.Suites.Amqp;

/// <summary>
/// The suite's own connection (RabbitMQ.Client, outside every timed section): declares and deletes the queues of the
/// cases and fills the consume cases' queues, so neither target's figures include that work.
/// </summary>
internal sealed class AmqpBenchAdmin : IAsyncDisposable
{
    private const int FillWindow = 1000;

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly IChannel _confirm;
    private readonly string _runId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    private AmqpBenchAdmin(IConnection connection, IChannel channel, IChannel confirm)
    {
        _connection = connection;
        _channel = channel;
        _confirm = confirm;
    }

    public static async Task<AmqpBenchAdmin> ConnectAsync(string url)
    {
        var factory = new ConnectionFactory { Uri = new Uri(url), ClientProvidedName = "rkv-bench admin" };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var confirm = await connection.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null));
        return new AmqpBenchAdmin(connection, channel, confirm);
    }

    /// <summary>A queue name unique to this run (so a shared broker given with --server is never confused).</summary>
    public string QueueName(string purpose) => $"rkv.bench.{_runId}.{purpose}";

    /// <summary>
    /// Declares a non-durable queue <paramref name="name"/>; with <paramref name="maxLength"/>, a classic queue that
    /// drops its oldest messages beyond that many (the publish cases: the broker's memory stays bounded however fast
    /// the client publishes).
    /// </summary>
    public async Task<string> DeclareAsync(string name, int? maxLength = null)
    {
        var arguments = maxLength is { } limit ? new Dictionary<string, object?> { ["x-max-length"] = limit } : null;
        await _channel.QueueDeclareAsync(name, durable: false, exclusive: false, autoDelete: false, arguments);
        return name;
    }

    public Task DeleteAsync(string name) => _channel.QueueDeleteAsync(name);

    /// <summary>Puts <paramref name="count"/> messages of <paramref name="bodySize"/> bytes in the queue, each confirmed.</summary>
    public async Task FillAsync(string queue, long count, int bodySize)
    {
        var routingKey = new CachedString(queue);
        var exchange = new CachedString(string.Empty);
        ReadOnlyMemory<byte> body = new byte[bodySize];
        var inFlight = new ValueTask[FillWindow];
        for (long i = 0; i < count; i++)
        {
            var slot = (int)(i % FillWindow);
            if (i >= FillWindow)
            {
                await inFlight[slot];
            }

            inFlight[slot] = _confirm.BasicPublishAsync(exchange, routingKey, body);
        }

        for (var i = Math.Max(0, count - FillWindow); i < count; i++)
        {
            await inFlight[(int)(i % FillWindow)];
        }

        var declared = await _channel.QueueDeclarePassiveAsync(queue);
        if (declared.MessageCount != count)
        {
            throw new InvalidOperationException($"Queue {queue} holds {declared.MessageCount} messages after filling it with {count}.");
        }
    }

    /// <summary>Runs a close that may fail because the other side is already gone.</summary>
    public static async Task QuietlyAsync(Func<Task> close)
    {
        try
        {
            await close();
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.RabbitMQClientException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The broker or the connection is going away with the suite.
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in new[] { _channel, _confirm })
        {
            await QuietlyAsync(() => channel.CloseAsync());
            await channel.DisposeAsync();
        }

        await QuietlyAsync(() => _connection.CloseAsync());
        await _connection.DisposeAsync();
    }
}
