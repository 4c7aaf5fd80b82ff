using System.CommandLine;
using ReactiveKv.Examples.Backends;
using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.CommandLine;

/// <summary><c>serve &lt;backend&gt; [--port N]</c>: a backend's embedded server in the foreground until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var backendName = new Argument<string>("backend") { Description = "The server to run: " + string.Join(", ", context.Backends.ServerNames) };
        var port = NumberOption.Port("Port on 127.0.0.1 (0 picks a free one); default depends on the backend");
        var partitions = NumberOption.Create("--partitions", "Partitions per table (pegasus; a power of two, default 8)", 1, 1024);
        var replicas = NumberOption.Create("--replicas", "Replica servers (pegasus; default 3)", 1, 64);
        var databases = new Option<string[]>("--db") { Description = "A database to open, repeatable (kt: * cache hash, % cache tree, or a name; default *)", AllowMultipleArgumentsPerToken = false };
        var memcachedPort = NumberOption.Create("--memcached-port", "Also run the memcached plugin on this port (kt; 0 picks a free one)", 0, 65535);
        var memcachedOpts = new Option<string?>("--memcached-opts") { Description = "The plugin's opts letters (kt): f flags suffix, q queue mode (needs a tree DB 0), r read-only; default f" };
        var legacyMeta = new Option<bool>("--legacy-meta") { Description = "Answer meta queries as servers before 2.5 do, without the host:port fields 9..11 (pegasus)" };
        var nodes = NumberOption.Create("--nodes", "Nodes in the cluster (keyspace; default 1 = single mode, 3 = replicated)", 1, 16);
        var quirks = new Option<bool>("--quirks-1.9.0") { Description = "Reproduce the 1.9.0 server's bugs: expiry never fires, prefixed lists stop at 1000 keys, big counts hang (keyspace)" };
        var command = new Command("serve", "Run a backend's embedded server until Ctrl+C or SIGTERM") { backendName, port, partitions, replicas, databases, memcachedPort, memcachedOpts, legacyMeta, nodes, quirks };
        command.SetAction((parsed, cancellationToken) => CliErrors.GuardAsync("serve", context.Stderr, () =>
        {
            var name = parsed.GetRequiredValue(backendName);
            var backend = context.Backends.FindServer(name)
                ?? throw new UsageException($"unknown backend '{name}' (known: {string.Join(", ", context.Backends.ServerNames)})");
            var options = new ServeOptions(parsed.GetValue(port))
            {
                Partitions = parsed.GetValue(partitions),
                Replicas = parsed.GetValue(replicas),
                Databases = parsed.GetValue(databases) is { Length: > 0 } dbs ? dbs : null,
                MemcachedPort = parsed.GetValue(memcachedPort),
                MemcachedOpts = parsed.GetValue(memcachedOpts),
                LegacyMeta = parsed.GetValue(legacyMeta),
                Nodes = parsed.GetValue(nodes),
                Quirks190 = parsed.GetValue(quirks),
            };
            if (options.MemcachedOpts is { } opts && opts.Any(c => c is not ('f' or 'q' or 'r')))
            {
                throw new UsageException($"--memcached-opts '{opts}' may hold only the letters f, q and r");
            }

            if (options.MemcachedPort is < 0 or > 65535)
            {
                throw new UsageException($"--memcached-port {options.MemcachedPort} is not a port number");
            }

            if (options.Port is < 0 or > 65535)
            {
                throw new UsageException($"--port {options.Port} is not a port number");
            }

            if (options.Partitions is { } p && (p < 1 || (p & (p - 1)) != 0))
            {
                throw new UsageException($"--partitions {p} is not a power of two");
            }

            if (options.Replicas is < 1 or > 16)
            {
                throw new UsageException($"--replicas {options.Replicas} must be between 1 and 16");
            }

            if (options.Nodes is < 1 or > 16)
            {
                throw new UsageException($"--nodes {options.Nodes} must be between 1 and 16");
            }

            return ServeAsync(context, backend, options, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> ServeAsync(CliContext context, IServeBackend backend, ServeOptions options, CancellationToken cancellationToken)
    {
        await using var reactor = new Reactor();
        reactor.Start();
        await using var server = await backend.StartAsync(reactor, options, cancellationToken);
        context.Stdout.WriteLine($"listening on {server.Address}");
        if (server.Details is { } details)
        {
            context.Stdout.WriteLine(details);
        }

        context.Stdout.Flush();
        await cancellationToken.WhenCancelled();
        return ExitCodes.Ok;
    }
}
