using System.Collections;
using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactiveKv.Amqp;
using ReactiveKv.Examples.CommandLine;

namespace ReactiveKv.Examples.Backends;

/// <summary>
/// <c>kv amqp://user:password@host:port/vhost VERB …</c> (or <c>amqps://</c>): publish a message, get one (printed
/// with its properties, then acked), consume until Ctrl+C, and declare, bind, purge and delete queues and exchanges.
/// A broker's refusal (a 404 for a missing queue, a 406 for a declare that does not match) is one line on stderr and
/// exit code 1.
/// </summary>
public sealed class AmqpKvBackend(string scheme) : IKvBackend
{
    private static readonly string[] Verbs = ["publish", "get", "consume", "declare-queue", "declare-exchange", "bind", "purge", "delete-queue"];

    /// <summary>How many deliveries <c>consume</c> holds unacknowledged at once.</summary>
    private const ushort ConsumePrefetch = 100;

    /// <inheritdoc />
    public string Scheme => scheme;

    /// <inheritdoc />
    public string Description =>
        "publish exchange routing-key body [--header k=v]... [--persistent] [--mandatory] [--confirm] | get queue | " +
        "consume queue (until Ctrl+C) | declare-queue name [--durable] [--exclusive] [--auto-delete] | " +
        "declare-exchange name type [--durable] | bind queue exchange routing-key | purge queue | delete-queue name " +
        "(\"\" is the default exchange)";

    /// <inheritdoc />
    public async Task<string> ExecuteAsync(Reactor reactor, string url, string verb, IReadOnlyList<string> args, KvOptions options, CancellationToken cancellationToken)
    {
        AmqpOptions amqp;
        try
        {
            amqp = AmqpOptions.Parse(url) with { ConnectTimeout = options.Timeout, OperationTimeout = options.Timeout, ConnectionName = "reactivekv kv" };
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        verb = verb.ToLowerInvariant();
        var (plain, flags, headers) = Parse(verb, args);
        CheckArity(verb, plain);
        await using var connection = await AmqpConnection.ConnectAsync(reactor, amqp, cancellationToken);
        var channel = connection.CreateChannel(confirms: verb == "publish" && flags.Contains("--confirm"));
        return verb switch
        {
            "publish" => await PublishAsync(channel, plain, flags, headers, cancellationToken),
            "get" => await GetAsync(channel, plain[0], cancellationToken),
            "consume" => await ConsumeAsync(channel, plain[0], options.Output, cancellationToken),
            "declare-queue" => Show(await channel.QueueDeclare(plain[0], flags.Contains("--durable"), flags.Contains("--exclusive"), flags.Contains("--auto-delete")).WithCancellation(cancellationToken)),
            "declare-exchange" => await Ok(channel.ExchangeDeclare(plain[0], plain[1], flags.Contains("--durable")), cancellationToken),
            "bind" => await Ok(channel.QueueBind(plain[0], plain[1], plain[2]), cancellationToken),
            "purge" => Messages(await channel.QueuePurge(plain[0]).WithCancellation(cancellationToken), "purged"),
            "delete-queue" => Messages(await channel.QueueDelete(plain[0]).WithCancellation(cancellationToken), "deleted with the queue"),
            _ => throw UnknownVerb(verb),
        };
    }

    /// <summary>The positional arguments, the flags given, and the headers of <c>--header k=v</c>; flags only where they apply.</summary>
    private static (List<string> Plain, HashSet<string> Flags, FieldTable? Headers) Parse(string verb, IReadOnlyList<string> args)
    {
        var allowed = verb switch
        {
            "publish" => new[] { "--header", "--persistent", "--mandatory", "--confirm" },
            "declare-queue" => ["--durable", "--exclusive", "--auto-delete"],
            "declare-exchange" => ["--durable"],
            _ => [],
        };
        var plain = new List<string>();
        var flags = new HashSet<string>(StringComparer.Ordinal);
        FieldTable? headers = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                plain.Add(arg);
                continue;
            }

            if (!allowed.Contains(arg))
            {
                throw new UsageException(allowed.Length == 0
                    ? $"{verb} takes no flags, not {arg}"
                    : $"{verb} takes {string.Join(", ", allowed)}, not {arg}");
            }

            flags.Add(arg);
            if (arg == "--header")
            {
                if (i + 1 >= args.Count || args[i + 1].IndexOf('=', StringComparison.Ordinal) is <= 0)
                {
                    throw new UsageException("--header needs name=value");
                }

                var header = args[++i];
                var equals = header.IndexOf('=', StringComparison.Ordinal);
                headers ??= new FieldTable();
                headers[header[..equals]] = header[(equals + 1)..];
            }
        }

        return (plain, flags, headers);
    }

    private static void CheckArity(string verb, List<string> args)
    {
        var (count, usage) = verb switch
        {
            "publish" => (3, "exchange routing-key body [--header name=value]... [--persistent] [--mandatory] [--confirm]"),
            "get" or "consume" or "purge" => (1, "queue"),
            "declare-queue" => (1, "name [--durable] [--exclusive] [--auto-delete] (\"\" for a server-named queue)"),
            "declare-exchange" => (2, "name type [--durable] (type: direct, fanout, topic, headers)"),
            "bind" => (3, "queue exchange routing-key"),
            "delete-queue" => (1, "name"),
            _ => throw UnknownVerb(verb),
        };
        if (args.Count != count)
        {
            throw new UsageException($"usage: {verb} {usage}");
        }
    }

    private static UsageException UnknownVerb(string verb) =>
        new($"unknown verb '{verb}' for amqp:// (known: {string.Join(", ", Verbs)})");

    private static async Task<string> PublishAsync(AmqpChannel channel, List<string> args, HashSet<string> flags, FieldTable? headers, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties { Headers = headers, DeliveryMode = flags.Contains("--persistent") ? (byte)2 : null };
        await channel.Publish(args[0], args[1], args[2], properties, mandatory: flags.Contains("--mandatory")).WithCancellation(cancellationToken);
        return channel.Confirms ? "OK (confirmed)" : "OK";
    }

    /// <summary>One message: its body, then one <c>name: value</c> line per delivery field and property set; then the ack.</summary>
    private static async Task<string> GetAsync(AmqpChannel channel, string queue, CancellationToken cancellationToken)
    {
        var delivery = await channel.Get(queue).WithCancellation(cancellationToken);
        if (delivery is null)
        {
            return "(empty)";
        }

        var text = Describe(delivery, withCount: true);
        await delivery.Ack().WithCancellation(cancellationToken);
        return text;
    }

    /// <summary>
    /// Prints each delivery as it comes (then acks it) until cancelled (a normal end, exit 0) or the consumer ends
    /// (the queue is missing or was deleted: exit 1).
    /// </summary>
    private static async Task<string> ConsumeAsync(AmqpChannel channel, string queue, TextWriter output, CancellationToken cancellationToken)
    {
        await channel.Qos(ConsumePrefetch).WithCancellation(cancellationToken);
        var consumer = channel.Consume(queue);
        Deferred<System.Reactive.Unit>? lastAck = null;
        var printed = consumer
            .Do(delivery =>
            {
                output.WriteLine(Describe(delivery, withCount: false));
                output.WriteLine();

                // Someone piping this into another program wants each message as it comes.
                output.Flush();
                Volatile.Write(ref lastAck, delivery.Ack());
            })
            .IgnoreElements()
            .DefaultIfEmpty()
            .ToTask(cancellationToken);

        async Task AnnounceAsync()
        {
            await consumer.Started.WithCancellation(cancellationToken);
            output.WriteLine($"consuming from {queue} (Ctrl+C to stop)");
            output.Flush();
        }

        try
        {
            await Task.WhenAll(AnnounceAsync(), printed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends consuming normally.
        }

        // A printed message stays consumed: the acks of a channel go out in order, so once the last one is written
        // they all are, ahead of the goodbye that closes the connection.
        if (Volatile.Read(ref lastAck) is { } ack)
        {
            await ack.ToTask().WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        return "";
    }

    private static string Describe(AmqpDelivery delivery, bool withCount)
    {
        var text = new StringBuilder(delivery.BodyText);
        Line(text, "exchange", delivery.Exchange.Length == 0 ? "(default)" : delivery.Exchange);
        Line(text, "routing-key", delivery.RoutingKey);
        Line(text, "redelivered", delivery.Redelivered ? "yes" : "no");
        if (withCount && delivery.MessageCount is { } left)
        {
            Line(text, "messages-left", left.ToString(CultureInfo.InvariantCulture));
        }

        var p = delivery.Properties;
        Line(text, "content-type", p.ContentType);
        Line(text, "content-encoding", p.ContentEncoding);
        Line(text, "delivery-mode", p.DeliveryMode switch { null => null, 2 => "2 (persistent)", var mode => mode.Value.ToString(CultureInfo.InvariantCulture) });
        Line(text, "priority", p.Priority?.ToString(CultureInfo.InvariantCulture));
        Line(text, "correlation-id", p.CorrelationId);
        Line(text, "reply-to", p.ReplyTo);
        Line(text, "expiration", p.Expiration);
        Line(text, "message-id", p.MessageId);
        Line(text, "timestamp", p.Timestamp?.ToString());
        Line(text, "type", p.Type);
        Line(text, "user-id", p.UserId);
        Line(text, "app-id", p.AppId);
        Line(text, "cluster-id", p.ClusterId);
        foreach (var (name, value) in p.Headers ?? [])
        {
            Line(text, $"header {name}", Value(value));
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, string? value)
    {
        if (value is not null)
        {
            text.Append('\n').Append(name).Append(": ").Append(value);
        }
    }

    private static string Value(object? value) => value switch
    {
        null => "(void)",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        AmqpLongString binary => "0x" + binary,
        FieldTable table => "{" + string.Join(", ", table.Select(kv => $"{kv.Key}={Value(kv.Value)}")) + "}",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Select(Value)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string Show(AmqpQueueInfo queue) =>
        string.Create(CultureInfo.InvariantCulture, $"queue {queue.Name}: {queue.MessageCount} message(s), {queue.ConsumerCount} consumer(s)");

    private static string Messages(uint count, string what) => string.Create(CultureInfo.InvariantCulture, $"{count} message(s) {what}");

    private static async Task<string> Ok<T>(Deferred<T> operation, CancellationToken cancellationToken)
    {
        await operation.WithCancellation(cancellationToken);
        return "OK";
    }
}
