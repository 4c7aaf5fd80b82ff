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

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        foreach (var line in output.Split('\n'))
        {
            var cells = line.Split(',').Select(c => c.Trim('"', ' ', '\r')).ToArray();
            if (cells.Length >= 2 && cells[0].Equals(test, StringComparison.OrdinalIgnoreCase))
            {
                return double.Parse(cells[1], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"redis-benchmark printed no {test} result: {output}");
    }
}
