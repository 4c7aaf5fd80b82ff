using ReactiveKv.DotNetty;
using ReactiveKv.Examples.CommandLine;

// --reactor epoll|dotnetty (anywhere on the line; REACTIVEKV_REACTOR when absent) installs the reactor every example
// and command builds, as installing a reactor does in Twisted.
var reactor = Environment.GetEnvironmentVariable(ReactorBackends.EnvironmentVariable);
var rest = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--reactor" && i + 1 < args.Length)
    {
        reactor = args[++i];
    }
    else
    {
        rest.Add(args[i]);
    }
}

try
{
    ReactiveKv.ReactorBackend.Default = ReactorBackends.Parse(reactor);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.Usage;
}

using var shutdown = new ShutdownSignal();
return await Cli.RunAsync([.. rest], Console.Out, Console.Error, shutdown.Token);
