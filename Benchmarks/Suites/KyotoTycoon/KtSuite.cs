using System.Text;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Benchmarks.Suites.KyotoTycoon;

/// <summary>
/// Kyoto Tycoon get/set over HTTP RPC and over the binary protocol (bulk of 1 and of 100), one caller awaiting
/// each call and with many in flight, against the embedded server (or --server host:port). Rates count records.
/// </summary>
public sealed class KtSuite : IBenchmarkSuite
{
    private const int Window = 500;
    private const int Bulk = 100;

    public string Name => "kt";

    public string Description => "get/set records/s over HTTP RPC vs the binary protocol (embedded server unless --server host:port)";

    public IReadOnlyList<string> Cases { get; } = [
        "http-set-seq", "http-get-seq", "http-get-pipelined", "http-set-pipelined", "binary-set-1-seq", "binary-get-1-seq",
        "binary-set-100-seq", "binary-get-100-seq", "binary-get-1-pipelined", "binary-set-100-pipelined",
    ];

    public async Task RunAsync(BenchmarkArgs args, ResultWriter output)
    {
        await using var reactor = new Reactor(args.ReactorOptions());
        reactor.Start();
        await using var server = args.Server is null ? await KtServer.StartAsync(reactor, new KtServerOptions()) : null;
        var (host, port) = args.Server is { } s ? (s.Split(':')[0], int.Parse(s.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)) : ("127.0.0.1", server!.Address.Port);
        output.Note($"kt at {host}:{port} ({(server is null ? "outside server" : "embedded server")}); {args.Rounds} rounds of {args.Seconds} s, medians, records/s");
        await using var client = KtClient.Create(reactor, new KtOptions { Host = host, Port = port, OperationTimeout = TimeSpan.FromSeconds(30) });
        var key = "bench:key"u8.ToArray();
        var value = new byte[16];
        var keys = Enumerable.Range(0, Bulk).Select(i => Encoding.ASCII.GetBytes($"bench:{i:000}")).ToArray();
        var records = keys.Select(k => new KeyValuePair<byte[], byte[]>(k, value)).ToArray();
        await client.Set(key, value);
        await client.SetBulkBinary(records);

        var httpSet = await Case(output, args, "http-set-seq", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await client.Set(key, value); n++; } return n; });
        var httpGet = await Case(output, args, "http-get-seq", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await client.Get(key); n++; } return n; });
        await Case(output, args, "http-get-pipelined", stop => Pipelined.WindowsAsync(stop, Window, () => client.Get(key), 1));
        await Case(output, args, "http-set-pipelined", stop => Pipelined.WindowsAsync(stop, Window, () => client.Set(key, value), 1));
        var binSet1 = await Case(output, args, "binary-set-1-seq", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await client.SetBulkBinary([records[0]]); n++; } return n; });
        var binGet1 = await Case(output, args, "binary-get-1-seq", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await client.GetBulkBinary([key]); n++; } return n; });
        var binSet100 = await Case(output, args, "binary-set-100-seq", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await client.SetBulkBinary(records); n += Bulk; } return n; });
        var binGet100 = await Case(output, args, "binary-get-100-seq", async stop => { long n = 0; while (!stop.IsCancellationRequested) { await client.GetBulkBinary(keys); n += Bulk; } return n; });
        await Case(output, args, "binary-get-1-pipelined", stop => Pipelined.WindowsAsync(stop, Window, () => client.GetBulkBinary([key]), 1));
        await Case(output, args, "binary-set-100-pipelined", stop => Pipelined.WindowsAsync(stop, Window, () => client.SetBulkBinary(records), Bulk));

        Ratio(output, "set-bulk1", binSet1, httpSet);
        Ratio(output, "get-bulk1", binGet1, httpGet);
        Ratio(output, "set-bulk100", binSet100, httpSet);
        Ratio(output, "get-bulk100", binGet100, httpGet);
    }

    private static void Ratio(ResultWriter output, string name, double? binary, double? http)
    {
        if (binary is { } b && http is { } h)
        {
            output.Ratio("kt", $"binary-vs-http-{name}", b, h, "http-rpc-seq");
        }
    }

    private static async Task<double?> Case(ResultWriter output, BenchmarkArgs args, string name, Rounds.Workload work)
    {
        if (!args.Includes(name))
        {
            return null;
        }

        args.Progress.Case(name);
        var measured = (await Rounds.MeasureAsync(args, work))[0];
        output.Result("kt", name, measured, "records/s", name, "ours");
        return measured.Rate;
    }
}
