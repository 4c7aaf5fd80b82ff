using System.Diagnostics;
using System.Globalization;

namespace ReactiveKv.Benchmarks.Suites.Redis;

/// <summary>Runs Redis's own <c>redis-benchmark</c> and reads its requests/s from the CSV output.</summary>
internal static class RedisBenchmarkTool
{
    public static async Task<double> RequestsPerSecondAsync(string host, int port, string test, int clients, int pipeline, int requests)
    {
        var start = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-t", test, "-c", clients.ToString(CultureInfo.InvariantCulture), "-P", pipeline.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture), "-r", "1000", "--csv" })
        {
            start.ArgumentList.Add(arg);
        }

        var rates = await RunAsync(start, [test]);
        return rates[test];
    }

    /// <summary>
    /// Runs <c>redis-benchmark --cluster</c> against a cluster seed node (it finds the other primaries and sends each
    /// key to its owner) for several tests at once; returns requests/s by test name (upper case, as it prints them).
    /// </summary>
    public static async Task<Dictionary<string, double>> ClusterRequestsPerSecondAsync(string host, int port, string[] tests, int clients, int pipeline, int requests, int keyspace)
    {
        var start = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--cluster", "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-t", string.Join(',', tests), "-c", clients.ToString(CultureInfo.InvariantCulture), "-P", pipeline.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture), "-r", keyspace.ToString(CultureInfo.InvariantCulture), "-q", "--csv" })
        {
            start.ArgumentList.Add(arg);
        }

        return await RunAsync(start, tests);
    }

    private static async Task<Dictionary<string, double>> RunAsync(ProcessStartInfo start, string[] tests)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rates = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in output.Split('\n'))
        {
            // "test","rps",...: the header line's second cell is not a number and is skipped.
            var cells = line.Split(',').Select(c => c.Trim('"', ' ', '\r')).ToArray();
            if (cells.Length >= 2 && tests.Contains(cells[0], StringComparer.OrdinalIgnoreCase) && double.TryParse(cells[1], CultureInfo.InvariantCulture, out var rate))
            {
                rates[cells[0]] = rate;
            }
        }

        var missing = tests.Where(test => !rates.ContainsKey(test)).ToArray();
        return missing.Length == 0 ? rates
            : throw new InvalidOperationException($"redis-benchmark printed no {string.Join('/', missing)} result (exit {process.ExitCode}): {output}{await error}");
    }
}
