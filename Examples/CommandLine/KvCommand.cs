using System.CommandLine;
using ReactiveKv.Examples.Backends;

namespace ReactiveKv.Examples.CommandLine;

/// <summary><c>kv &lt;url&gt; &lt;verb&gt; [args...]</c>: one operation against a server, chosen by the URL's scheme.</summary>
internal static class KvCommand
{
    public static Command Create(CliContext context)
    {
        var url = new Argument<string>("url") { Description = "The server, e.g. tcp://127.0.0.1:8000" };
        var verb = new Argument<string>("verb") { Description = "The operation" };
        var rest = new Argument<string[]>("args") { Description = "The operation's arguments", Arity = ArgumentArity.ZeroOrMore };
        var timeout = new Option<double>("--timeout") { Description = "Seconds before giving up", DefaultValueFactory = _ => 5 };
        var command = new Command("kv", Describe(context.Backends)) { url, verb, rest, timeout };
        command.SetAction((parsed, cancellationToken) => CliErrors.GuardAsync("kv", context.Stderr, async () =>
        {
            var text = parsed.GetRequiredValue(url);
            var scheme = SchemeOf(text);
            var backend = context.Backends.FindClient(scheme)
                ?? throw new UsageException($"no backend for scheme '{scheme}' (known: {string.Join(", ", context.Backends.Schemes)})");
            var seconds = parsed.GetValue(timeout);
            if (!(seconds > 0))
            {
                throw new UsageException($"--timeout {seconds} is not a positive number of seconds");
            }

            await using var reactor = new Reactor();
            reactor.Start();
            var options = new KvOptions(TimeSpan.FromSeconds(seconds)) { Output = context.Stdout };
            var result = await backend.ExecuteAsync(reactor, text, parsed.GetRequiredValue(verb), parsed.GetValue(rest) ?? [], options, cancellationToken);
            if (result.Length > 0)
            {
                context.Stdout.WriteLine(result);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The help text: what each scheme reaches and which verbs it takes (schemes that share a backend share a line).</summary>
    private static string Describe(BackendRegistry backends)
    {
        var lines = backends.Schemes
            .Select(scheme => (Scheme: scheme, backends.FindClient(scheme)!.Description))
            .GroupBy(b => b.Description, b => $"{b.Scheme}://")
            .Select(group => $"  {string.Join(", ", group)}: {group.Key}");
        return string.Join(Environment.NewLine, ["Run one operation against a server given by URL. Schemes:", .. lines]);
    }

    /// <summary>The scheme of a URL. Backends parse the rest themselves: some take host lists (pegasus://m1:1,m2:2/t).</summary>
    private static string SchemeOf(string text)
    {
        var end = text.IndexOf("://", StringComparison.Ordinal);
        if (end <= 0)
        {
            throw new UsageException($"'{ServiceUrl.Redact(text)}' is not a URL like tcp://127.0.0.1:8000");
        }

        var scheme = text[..end].ToLowerInvariant();
        if (scheme == "tcp")
        {
            try
            {
                _ = ServiceUrl.Parse(text, "TCP", 0, "tcp").Host;
            }
            catch (FormatException e)
            {
                throw new UsageException($"'{ServiceUrl.Redact(text)}' is not a URL like tcp://127.0.0.1:8000 (host and port): {e.Message}");
            }
        }

        return scheme;
    }
}
