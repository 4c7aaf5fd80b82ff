using ReactiveKv.Examples.CommandLine;

using var shutdown = new ShutdownSignal();
return await Cli.RunAsync(args, Console.Out, Console.Error, shutdown.Token);
