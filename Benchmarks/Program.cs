using System.Globalization;
using ReactiveKv.Benchmarks;
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

if (args.Length == 0)
{
    // No arguments is a mistake in a script: the usage goes to stderr and the exit code says so.
    Console.Error.Write(Usage.Help(suites));
    return 2;
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Out.Write(Usage.Help(suites));
    return 0;
}

if (args[0] == "list")
{
    Console.Out.Write(Usage.List(suites));
    return 0;
}

if (suites.All(s => s.Name != args[0]))
{
    Console.Error.WriteLine($"'{args[0]}' is not a suite; suites: {string.Join(", ", suites.Select(s => s.Name))} (--help for the options, list for the cases)");
    return 2;
}

var options = new BenchmarkArgs();
string? reportDirectory = null;
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
        case "--report" when !string.IsNullOrWhiteSpace(value) && !value.StartsWith("--", StringComparison.Ordinal):
            reportDirectory = value;
            i++;
            break;
        case "--reactor" when value is "epoll" or "dotnetty":
            options = options with { Reactor = value };
            i++;
            break;
        case "--rounds" or "--seconds" or "--server" or "--meta" or "--only" or "--minutes" or "--inputs" or "--seed" or "--report" or "--reactor":
            Console.Error.WriteLine($"bad value '{value ?? "(missing)"}' for {args[i]}: expected --rounds N (N >= 1), --seconds S (S > 0), --server host:port (amqp: an amqp:// URL), --report DIR, --reactor epoll|dotnetty, --minutes M (fuzz), --inputs N (fuzz), --seed N (fuzz)");
            return 2;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}': expected --rounds N, --seconds S, --server host:port, --only case, --report DIR (fuzz: --minutes M, --inputs N, --seed N); --help for all");
            return 2;
    }
}

var suite = suites.First(s => s.Name == args[0]);
var cases = suite.Cases.Where(options.Includes).ToList();
if (cases.Count == 0)
{
    // Before anything starts: a typo must not cost a server's boot and a run that measures nothing.
    Console.Error.WriteLine($"--only '{options.Only}' matches no case of {suite.Name}; its cases: {string.Join(", ", suite.Cases)}");
    return 2;
}

options = options with { Progress = new RunProgress(cases) };
var report = reportDirectory is null ? null : new BenchmarkReport(suite.Name);
string? failure = null;
async Task RunSuiteAsync()
{
    try
    {
        await suite.RunAsync(options, new ResultWriter(Console.Out, report));
    }
    catch (InvalidOperationException e)
    {
        // Printed after the progress display has gone, so it is not drawn over.
        failure = $"{suite.Name}: {e.Message}";
    }
}

if (ProgressDisplay.Wanted)
{
    await new ProgressDisplay(options.Progress, suite.Name).RunAsync(RunSuiteAsync);
}
else
{
    await RunSuiteAsync();
}

if (report is not null)
{
    // A failed run still reports what it measured before the failure.
    foreach (var line in report.Write(reportDirectory!))
    {
        Console.Error.WriteLine(line);
    }
}

if (failure is not null)
{
    Console.Error.WriteLine(failure);
    return 1;
}

return 0;
