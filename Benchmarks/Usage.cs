using System.Text;
using ReactiveKv.Benchmarks.Measure;

namespace ReactiveKv.Benchmarks;

/// <summary>The text of <c>--help</c> and of <c>list</c>, built from the suites themselves so it cannot go stale.</summary>
public static class Usage
{
    private const int Width = 100;

    public static string Help(IReadOnlyList<IBenchmarkSuite> suites)
    {
        var text = new StringBuilder();
        text.Append("""
            usage: Benchmarks <suite> [options]
                   Benchmarks list          the suites and their cases
                   Benchmarks --help        this text (also -h, or no arguments)

            options:
              --rounds N           measured rounds per case, after a warm-up; the median is reported (default 5)
              --seconds S          length of one round in seconds (default 2)
              --only TEXT          run only the cases whose name contains TEXT (an error if none does)
              --server HOST:PORT   an outside server instead of the one the suite starts
                                   (amqp: amqp://user:pass@host:port/vhost; keyspace: host:port[,host:port...])
              --meta HOST:PORT[,HOST:PORT]   pegasus: the cluster's meta servers (same as --server)
              --report DIR         also write DIR/<suite>-results.txt (the lines), DIR/<suite>-results.md (a table:
                                   case, each contender, ratio, spread) and DIR/<suite>.png (bars per case with
                                   min..max error bars over the rounds)
              --reactor epoll|dotnetty   the reactor to measure on (every suite); echo alone measures both
              --minutes M          fuzz: minutes per decoder (default 1); soak: minutes per backend (default 10)
              --inputs N           fuzz: at most N inputs per decoder
              --seed N             fuzz: the random seed (default: the clock)
              -h, --help           this text

            Results go to stdout as `RESULT suite case value unit` and `RATIO suite case x vs peer` lines, with
            `# notes`; on a terminal, stderr shows the case, the round and the time left.

            suites:

            """);
        text.Append(List(suites));
        return text.ToString();
    }

    /// <summary>Each suite with its description and its cases, the cases wrapped to the terminal's usual width.</summary>
    public static string List(IReadOnlyList<IBenchmarkSuite> suites)
    {
        var text = new StringBuilder();
        foreach (var suite in suites)
        {
            text.Append("  ").Append(suite.Name.PadRight(14)).Append(suite.Description).Append('\n');
            text.Append(Wrap("cases: " + string.Join(", ", suite.Cases), "                  ")).Append('\n');
        }

        return text.ToString();
    }

    private static string Wrap(string text, string indent)
    {
        var lines = new List<string>();
        var line = new StringBuilder(indent);
        foreach (var word in text.Split(' '))
        {
            if (line.Length > indent.Length && line.Length + 1 + word.Length > Width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(indent).Append("  ");
            }

            if (line.Length > indent.Length && line[^1] != ' ')
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        lines.Add(line.ToString());
        return string.Join('\n', lines);
    }
}
