using System.Diagnostics;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Hosting;

/// <summary>
/// A real process, a real signal: the examples program's <c>host</c> command (a generic host with the reactor and a
/// Kyoto Tycoon client registered) exits cleanly soon after SIGTERM, on each reactor.
/// </summary>
public sealed class SigtermTests
{
    public static TheoryData<string> Reactors => TestReactors.Kinds;

    [Theory]
    [MemberData(nameof(Reactors))]
    public async Task AHostWithClients_ExitsSoonAfterSigterm(string reactor)
    {
        var examples = Path.Combine(AppContext.BaseDirectory, "ReactiveKv.Examples.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { examples, "host", "--reactor", reactor })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var started = await ReadUntilAsync(process.StandardOutput, "host started").Within();
            Assert.Contains($"on the {reactor} reactor", started, StringComparison.Ordinal);
            Assert.Contains("KT client Connected", started, StringComparison.Ordinal);

            var signalled = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().Within();
                Assert.Equal(0, kill.ExitCode);
            }

            await process.WaitForExitAsync().Within();
            var exit = signalled.Elapsed;

            var rest = await process.StandardOutput.ReadToEndAsync().Within();
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stdout: {rest}; stderr: {await process.StandardError.ReadToEndAsync()}");
            Assert.Contains("KT client Closed", rest, StringComparison.Ordinal);

            // A guard against a stop that waits on something (the host's own limit is 30 s), with room for a loaded machine.
            Assert.True(exit < TimeSpan.FromSeconds(3), $"exited {exit.TotalMilliseconds:F0} ms after SIGTERM ({rest.Trim()})");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<string> ReadUntilAsync(StreamReader output, string prefix)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"The process ended before printing '{prefix}'.");
    }
}
