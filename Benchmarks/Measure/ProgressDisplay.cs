using System.Globalization;
using Spectre.Console;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>
/// The live progress line on stderr: the suite, the case (n of N), the phase and round, and the time left in the case
/// and in the suite. Only on a terminal (<see cref="Wanted"/>): piped output and CI logs keep plain lines.
/// </summary>
public sealed class ProgressDisplay
{
    private readonly RunProgress _progress;
    private readonly string _suite;
    private readonly IAnsiConsole _console;

    public ProgressDisplay(RunProgress progress, string suite)
    {
        (_progress, _suite) = (progress, suite);

        // Interactive explicitly: Spectre would otherwise fall back to printing a line per refresh whenever stdin is
        // redirected, which is the very noise the display exists to avoid.
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
    }

    /// <summary>True when stderr is a terminal that can redraw a line (not redirected, not TERM=dumb).</summary>
    public static bool Wanted => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>
    /// Runs <paramref name="work"/> under the display. When stdout is the same terminal, its lines (RESULT, RATIO,
    /// notes, FAIL) are collected for the duration and printed through the display's console, so they scroll above
    /// the progress line instead of being overdrawn by it; the text is the same.
    /// </summary>
    public async Task RunAsync(Func<Task> work)
    {
        var stdout = Console.Out;
        var lines = Console.IsOutputRedirected ? null : new LiveLineWriter();
        // A suite may end the process itself (the fuzz watchdog's Environment.Exit): its last lines still print.
        void Rescue(object? sender, EventArgs e)
        {
            lines?.Flush();
            foreach (var line in lines?.Drain() ?? [])
            {
                stdout.WriteLine(line);
            }
        }

        if (lines is not null)
        {
            Console.SetOut(lines);
            AppDomain.CurrentDomain.ProcessExit += Rescue;
        }

        try
        {
            await _console.Progress()
                .AutoClear(true)
                .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 12 }, new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("starting", maxValue: 100);
                    var running = work();
                    while (!running.IsCompleted)
                    {
                        Print(lines);
                        var now = _progress.Snapshot();
                        task.Description = Describe(now);

                        // The bar is the suite's share done by time: elapsed over elapsed plus the estimate left.
                        var total = now.Elapsed + now.SuiteLeft;
                        task.Value = total > TimeSpan.Zero ? 100 * (now.Elapsed / total) : 0;
                        await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(100)));
                    }

                    lines?.Flush();
                    Print(lines);
                    task.Value = 100;
                    await running;
                });
        }
        finally
        {
            if (lines is not null)
            {
                Console.SetOut(stdout);
                AppDomain.CurrentDomain.ProcessExit -= Rescue;
                Rescue(null, EventArgs.Empty);
            }
        }
    }

    /// <summary>Prints the queued stdout lines above the progress line; on the display's thread, outside Console.Out's lock.</summary>
    private void Print(LiveLineWriter? lines)
    {
        foreach (var line in lines?.Drain() ?? [])
        {
            // Text, not markup: a RESULT line's brackets must print as they are.
            _console.WriteLine(line);
        }
    }

    private string Describe(ProgressSnapshot now)
    {
        if (now.Case is null)
        {
            return Markup.Escape(_suite) + " starting";
        }

        var round = now.Round > 0 ? $"{Markup.Escape(now.Phase)} {now.Round} of {now.Rounds}" : Markup.Escape(now.Phase);
        // Short enough for an 80-column terminal beside the bar: a wrapped line would redraw as two.
        return $"{Markup.Escape(_suite)} [bold]{Markup.Escape(now.Case)}[/] [grey](case {now.CaseNumber}/{now.CaseCount})[/] {round} · [yellow]{Time(now.CaseLeft)}[/] left, suite ~{Time(now.SuiteLeft)}";
    }

    private static string Time(TimeSpan t) => t.TotalMinutes >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds:00} s")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(t.TotalSeconds):0} s");
}
