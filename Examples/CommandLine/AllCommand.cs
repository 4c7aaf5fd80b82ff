using System.CommandLine;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.CommandLine;

/// <summary><c>all</c>: every self-contained example end to end, each checking itself, plus the Redis and RabbitMQ ones when a server answers.</summary>
internal static class AllCommand
{
    public static Command Create(CliContext context)
    {
        var server = new Option<string?>("--server") { Description = "redis-server for the Redis examples, host:port or URL (default $REDIS_URL or redis://127.0.0.1:6379); skipped if none answers" };
        var amqp = new Option<string?>("--amqp") { Description = "RabbitMQ broker for the RabbitMQ examples, amqp://user:password@host:port/vhost (default $AMQP_URL or amqp://guest:guest@127.0.0.1:5672/); skipped if none answers" };
        var command = new Command("all", "Run every example that needs no outside server (and the Redis or RabbitMQ ones if a server answers); exit 1 if any fails") { server, amqp };
        command.SetAction((parsed, cancellationToken) =>
            ExampleCatalog.RunAllAsync(context.Stdout, parsed.GetValue(server), parsed.GetValue(amqp), cancellationToken));
        return command;
    }
}
