using ReactiveKv.Benchmarks;
using ReactiveKv.Benchmarks.Measure;
using ReactiveKv.Benchmarks.Suites.Echo;
using ReactiveKv.Benchmarks.Suites.Redis;

namespace ReactiveKv.Tests.BenchmarkTool;

/// <summary>The benchmark program's report (<c>--report DIR</c>), progress state and usage text, without running a benchmark.</summary>
public sealed class BenchmarkReportTests
{
    [Fact]
    public void Two_measurements_make_a_table_row_with_the_ratio_and_each_spread()
    {
        var report = new BenchmarkReport("redis");
        var output = new ResultWriter(TextWriter.Null, report);
        output.Note("peer StackExchange.Redis 3.4.35");
        output.Result("redis", "ours-pipelined-get", new Measurement(200_000, 0, [190_000, 200_000, 210_000]), "ops/s", "pipelined-get", "ours");
        output.Result("redis", "stackexchange-pipelined-get", new Measurement(100_000, 0, [90_000, 100_000, 110_000]), "ops/s", "pipelined-get", "stackexchange");
        output.Ratio("redis", "pipelined-get", 200_000, 100_000, "stackexchange-3.4.35");
        output.Ratio("redis", "pipelined-vs-something", 3, 1, "other");
        output.Result("redis", "ours-pipelined-get-alloc", 12.5, "B/op");

        var markdown = report.Markdown();

        Assert.Contains("| case | unit | ours | stackexchange | ratio | spread |", markdown, StringComparison.Ordinal);
        Assert.Contains("| pipelined-get | ops/s | 200,000 | 100,000 | 2.00× vs stackexchange-3.4.35 | ours 10%; stackexchange 20% |", markdown, StringComparison.Ordinal);

        // Figures and ratios of no measured case are kept below the table, not dropped.
        Assert.Contains("| ours-pipelined-get-alloc | 12.5 | B/op |", markdown, StringComparison.Ordinal);
        Assert.Contains("| pipelined-vs-something | 3.00 | other |", markdown, StringComparison.Ordinal);
        Assert.Contains("- peer StackExchange.Redis 3.4.35", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variant_of_ours_is_tabulated_under_its_case()
    {
        var report = new BenchmarkReport("redis");
        var output = new ResultWriter(TextWriter.Null, report);
        output.Result("redis", "ours-seq-get", new Measurement(10, 0, [10]), "ops/s", "seq-get", "ours");
        output.Ratio("redis", "seq-get-ours-on-loop", 12, 10, "stackexchange-3.4.35");

        Assert.Contains("| seq-get | ops/s | 10 | ours-on-loop 1.20× vs stackexchange-3.4.35 | – |", report.Markdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_puts_the_lines_the_table_and_a_png_chart_in_the_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "reactivekv-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var printed = new StringWriter();
            var report = new BenchmarkReport("echo");
            var output = new ResultWriter(printed, report);
            output.Result("echo", "reactor-c1-16B", new Measurement(30_000, 0, [29_000, 31_000]), "rt/s", "c1-16B", "reactor");
            output.Result("echo", "socket-c1-16B", new Measurement(25_000, 0, [24_000, 26_000]), "rt/s", "c1-16B", "socket");
            output.Ratio("echo", "c1-16B", 30_000, 25_000, "socket");

            var written = report.Write(directory);

            Assert.Equal(printed.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), File.ReadAllLines(Path.Combine(directory, "echo-results.txt")));
            Assert.Contains("| c1-16B | rt/s | 30,000 | 25,000 | 1.20× vs socket |", File.ReadAllText(Path.Combine(directory, "echo-results.md")), StringComparison.Ordinal);
            var png = Path.Combine(directory, "echo.png");
            Assert.True(File.Exists(png), string.Join("; ", written));
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 1000, $"{bytes.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public void The_printed_lines_do_not_change_with_a_report()
    {
        var (plain, reported) = (new StringWriter(), new StringWriter());
        var m = new Measurement(1234.567, 0, [1000, 1234.567, 1300]);
        new ResultWriter(plain).Result("kt", "http-get-seq", m.Rate, "records/s");
        new ResultWriter(reported, new BenchmarkReport("kt")).Result("kt", "http-get-seq", m, "records/s", "http-get-seq", "ours");

        Assert.Equal("RESULT kt http-get-seq 1234.57 records/s" + Environment.NewLine, plain.ToString());
        Assert.Equal(plain.ToString(), reported.ToString());
    }

    [Fact]
    public void Progress_counts_cases_and_rounds_and_estimates_the_time_left()
    {
        var progress = new RunProgress(["a", "b", "c"]);
        progress.Case("a");
        progress.Step("round", 2, 5, TimeSpan.FromSeconds(8));

        var now = progress.Snapshot();

        Assert.Equal(("a", 1, 3, "round", 2, 5), (now.Case, now.CaseNumber, now.CaseCount, now.Phase, now.Round, now.Rounds));
        Assert.InRange(now.CaseLeft, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(8));

        // Two more cases of about this one's length to come.
        Assert.InRange(now.SuiteLeft, now.CaseLeft + (2 * now.CaseLeft), now.CaseLeft + (2 * (now.CaseLeft + TimeSpan.FromSeconds(2))));
    }

    [Fact]
    public void Stdout_lines_under_the_live_display_are_queued_whole_and_in_order()
    {
        using var writer = new LiveLineWriter();
        writer.Write("RESULT echo ");
        writer.WriteLine("reactor-c1-16B 1 rt/s");
        writer.Write("# a note\r\nRATIO echo c1-16B 1.00 vs socket\npartial");

        Assert.Equal(["RESULT echo reactor-c1-16B 1 rt/s", "# a note", "RATIO echo c1-16B 1.00 vs socket"], writer.Drain().ToArray());

        // A line without its newline is held until flushed (the display flushes at the end and at a process exit).
        writer.Flush();
        Assert.Equal(["partial"], writer.Drain().ToArray());
    }

    [Fact]
    public void Help_names_every_option_and_every_suites_cases()
    {
        IBenchmarkSuite[] suites = [new EchoSuite(), new RedisSuite()];

        var help = Usage.Help(suites);

        foreach (var option in new[] { "--rounds", "--seconds", "--only", "--server", "--meta", "--report", "--minutes", "--inputs", "--seed", "--help", "list" })
        {
            Assert.Contains(option, help, StringComparison.Ordinal);
        }

        foreach (var name in suites.SelectMany(s => s.Cases.Append(s.Name)))
        {
            Assert.Contains(name, help, StringComparison.Ordinal);
        }
    }
}
