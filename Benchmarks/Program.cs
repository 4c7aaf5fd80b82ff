using System.Globalization;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.Benchmarks.Suites.Amqp;
using ReactiveKv.Benchmarks.Suites.Echo;
using ReactiveKv.Benchmarks.Suites.Fuzz;
using ReactiveKv.Benchmarks.Suites.Soak;
using ReactiveKv.Benchmarks.Suites.Keyspace;
using ReactiveKv.Benchmarks.Suites.KyotoTycoon;
using ReactiveKv.Benchmarks.Suites.Pegasus;
using ReactiveKv.Benchmarks.Suites.Redis;
using ReactiveKv.Benchmarks.Suites.RedisCluster;

IBenchmarkSuite[] suites = [new EchoSuite(), new RedisSuite(), new RedisClusterSuite(), new PegasusSuite(), new KtSuite(), new KeyspaceSuite(), new AmqpSuite(), new FuzzSuite(), new SoakSuite()];

if (args.Length == 0 || suites.All(s => s.Name != args[0]))
{
    Console.Error.WriteLine(args.Length == 0 ? "Name a suite." : $"'{args[0]}' is not a suite.");
    Console.Error.WriteLine("usage: Benchmarks <suite> [--rounds N] [--seconds S] [--server host:port | --server amqp://user:pass@host:port/ | --meta host:port[,host:port]] [--only case] [--reactor epoll|dotnetty]");
    foreach (var s in suites)
    {
        Console.Error.WriteLine($"  {s.Name,-13} {s.Description}");
    }

    return 2;
}

var options = new BenchmarkArgs();
for (var i = 1; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--rounds" when int.TryParse(value, CultureInfo.InvariantCulture, out var rounds) && rounds > 0:
            options = options with { Rounds = rounds };
            i++;
            break;
        case "--seconds" when double.TryParse(value, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && double.IsFinite(seconds):
            options = options with { Seconds = seconds };
            i++;
            break;
        // --meta is the Pegasus spelling: a cluster's meta servers, meta:port[,meta:port].
        case "--server" or "--meta" when value is not null && value.Contains(':'):
            options = options with { Server = value };
            i++;
            break;
        case "--minutes" when double.TryParse(value, CultureInfo.InvariantCulture, out var minutes) && minutes > 0 && double.IsFinite(minutes):
            options = options with { Minutes = minutes };
            i++;
            break;
        case "--inputs" when long.TryParse(value, CultureInfo.InvariantCulture, out var inputs) && inputs > 0:
            options = options with { Inputs = inputs };
            i++;
            break;
        case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out var seed):
            options = options with { Seed = seed };
            i++;
            break;
        case "--only" when value is not null:
            options = options with { Only = value };
            i++;
            break;
        case "--reactor" when value is "epoll" or "dotnetty":
            options = options with { Reactor = value };
            i++;
            break;
        case "--rounds" or "--seconds" or "--server" or "--meta" or "--only" or "--minutes" or "--inputs" or "--seed" or "--reactor":
            Console.Error.WriteLine($"bad value '{value ?? "(missing)"}' for {args[i]}: expected --rounds N (N >= 1), --seconds S (S > 0), --server host:port (amqp: an amqp:// URL), --minutes M (fuzz), --inputs N (fuzz), --seed N (fuzz), --reactor epoll|dotnetty");
            return 2;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}': expected --rounds N, --seconds S, --server host:port, --only case (fuzz: --minutes M, --inputs N, --seed N)");
            return 2;
    }
}

var suite = suites.First(s => s.Name == args[0]);
try
{
    await suite.RunAsync(options, new ResultWriter(Console.Out));
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"{suite.Name}: {e.Message}");
    return 1;
}

return 0;
