using System.CommandLine;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.CommandLine;

/// <summary><c>all</c>: every self-contained example, end to end, each checking itself.</summary>
internal static class AllCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("all", "Run every example that needs no outside server; exit 1 if any fails");
        command.SetAction((_, cancellationToken) => ExampleCatalog.RunAllAsync(context.Stdout, cancellationToken));
        return command;
    }
}
