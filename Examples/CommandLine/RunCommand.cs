using System.CommandLine;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.CommandLine;

/// <summary><c>run &lt;name&gt;</c> (or just <c>&lt;name&gt;</c>): one example, with its options.</summary>
internal static class RunCommand
{
    public const string Name = "run";

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The example (see 'list')" };
        var host = new Option<string>("--host") { Description = "Host of an outside server", DefaultValueFactory = _ => "127.0.0.1" };
        var port = NumberOption.Port("Port to listen on or connect to");
        var message = new Option<string?>("--message") { Description = "Text to send" };
        var server = new Option<string?>("--server") { Description = "Outside server as host:port or URL (Redis examples: default $REDIS_URL or redis://127.0.0.1:6379; RabbitMQ examples: amqp://user:password@host:port/vhost, default $AMQP_URL or amqp://guest:guest@127.0.0.1:5672/; Kyoto Tycoon examples: a real ktserver, default the embedded one)" };
        var meta = new Option<string?>("--meta") { Description = "Meta servers of a real Pegasus cluster, host:port[,host:port] (Pegasus examples; default: the embedded server)" };
        var kt = new Option<string?>("--kt") { Description = "A real ktserver, host:port (Kyoto Tycoon examples, the same as --server for them; default: the embedded server)" };
        var amqp = new Option<string?>("--amqp") { Description = "A RabbitMQ broker, amqp://user:password@host:port/vhost (RabbitMQ examples, the same as --server for them)" };
        var command = new Command(Name, "Run one example") { name, host, port, message, server, meta, kt, amqp };
        command.SetAction((parsed, cancellationToken) => CliErrors.GuardAsync(Name, context.Stderr, () =>
        {
            var exampleName = parsed.GetRequiredValue(name);
            var example = ExampleCatalog.Find(exampleName) ?? throw new UsageException($"unknown example '{exampleName}' (see 'list')");
            var args = new ExampleArgs { Host = parsed.GetRequiredValue(host), Port = parsed.GetValue(port), Message = parsed.GetValue(message), Server = parsed.GetValue(server), Meta = parsed.GetValue(meta), Kt = parsed.GetValue(kt), Amqp = parsed.GetValue(amqp) };
            return example.RunAsync(args, context.Stdout, cancellationToken);
        }));
        return command;
    }
}
