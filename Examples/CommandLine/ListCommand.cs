using System.CommandLine;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.CommandLine;

/// <summary><c>list</c>: the examples, one per line, with their descriptions.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("list", "List the examples");
        command.SetAction(_ =>
        {
            var width = ExampleCatalog.All.Max(e => e.Name.Length) + 2;
            foreach (var example in ExampleCatalog.All)
            {
                var note = example.NeedsExternalServer ? " (needs an outside server)" : string.Empty;
                context.Stdout.WriteLine($"{example.Name.PadRight(width)}{example.Description}{note}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
