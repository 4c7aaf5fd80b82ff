using System.Diagnostics;
using System.Globalization;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>
/// CPU time used so far by this process or by another one (Linux /proc): on a small machine a server-bound case is
/// decided by who leaves the server more of the cores, so the suites report each client's CPU per operation and the
/// server's CPU use beside the rates.
/// </summary>
public static class ProcessCpu
{
    // /proc/<pid>/stat counts in clock ticks; USER_HZ is 100 on every Linux the suites run on.
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU time of this process so far.</summary>
    public static TimeSpan OfThisProcess()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>User plus system CPU time of process <paramref name="pid"/> so far; null when it cannot be read.</summary>
    public static TimeSpan? Of(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
