using System.CommandLine;
using ReactiveKv.Examples.Backends;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.CommandLine;

/// <summary>
/// The program's command line: <c>list</c>, <c>all</c>, <c>run &lt;name&gt;</c> (or just <c>&lt;name&gt;</c>),
/// <c>serve &lt;backend&gt;</c> and <c>kv &lt;url&gt; &lt;verb&gt; [args...]</c>. Callable in-process (tests do).
/// </summary>
public static class Cli
{
    /// <summary>Runs the command line with the default backends; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The arguments, as given to the program.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors go, one line each.</param>
    /// <param name="cancellationToken">Stops long-running commands (<c>serve</c>, a running example) as Ctrl+C does.</param>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, BackendRegistry.CreateDefault(), cancellationToken);

    /// <summary>Runs the command line with the backends in <paramref name="backends"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, BackendRegistry backends, CancellationToken cancellationToken = default)
    {
        // Examples and servers write from several loop threads.
        var context = new CliContext(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), backends);
        var root = CreateRoot(context);
        var parsed = root.Parse(ExpandShorthand(args));
        if (UnknownCommand(root, args) is { } unknown)
        {
            context.Stderr.WriteLine($"error: unknown command '{unknown}'. Commands: list, all, run <example>, serve <backend>, host, kv <url> <verb> [args], or an example's name (see 'list'; --help for more).");
            return ExitCodes.Usage;
        }

        if (parsed.Errors.Count > 0)
        {
            var problems = string.Join("; ", parsed.Errors.Select(e => e.Message));
            context.Stderr.WriteLine(CliErrors.OneLine($"error: {problems} (see --help)"));
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Stdout,
            Error = context.Stderr,
            EnableDefaultExceptionHandler = false,

            // The caller owns signals: Program maps Ctrl+C and SIGTERM to the token, tests cancel it themselves.
            ProcessTerminationTimeout = null,
        };
        return await parsed.InvokeAsync(invocation, cancellationToken);
    }

    private static RootCommand CreateRoot(CliContext context) => new("ReactiveKv examples and command line")
    {
        ListCommand.Create(context),
        AllCommand.Create(context),
        RunCommand.Create(context),
        ServeCommand.Create(context),
        HostCommand.Create(context),
        KvCommand.Create(context),
    };

    // System.CommandLine reports a first word it does not know as "Required command was not provided" first.
    private static string? UnknownCommand(RootCommand root, string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || ExampleCatalog.Find(args[0]) is not null)
        {
            return null;
        }

        return root.Subcommands.Any(c => c.Name == args[0]) ? null : args[0];
    }

    /// <summary><c>echo-server --port 1</c> means <c>run echo-server --port 1</c>.</summary>
    private static string[] ExpandShorthand(string[] args) =>
        args.Length > 0 && ExampleCatalog.Find(args[0]) is not null ? [RunCommand.Name, .. args] : args;
}
