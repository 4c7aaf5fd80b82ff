using System.CommandLine;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.CommandLine;

/// <summary><c>all</c>: every self-contained example end to end, each checking itself, plus the Redis ones when a server answers.</summary>
internal static class AllCommand
{
    public static Command Create(CliContext context)
    {
        var server = new Option<string?>("--server") { Description = "redis-server for the Redis examples, host:port or URL (default $REDIS_URL or redis://127.0.0.1:6379); skipped if none answers" };
        var command = new Command("all", "Run every example that needs no outside server (and the Redis ones if a redis-server answers); exit 1 if any fails") { server };
        command.SetAction((parsed, cancellationToken) =>
            ExampleCatalog.RunAllAsync(context.Stdout, parsed.GetValue(server), cancellationToken));
        return command;
    }
}
