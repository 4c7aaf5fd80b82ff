using System.Text;
using Spectre.Console;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>
/// Standard output while the progress display runs on the same terminal: whole lines go through the display's
/// console, which prints them above the progress line and redraws it, where a direct write would be overdrawn.
/// </summary>
public sealed class LiveLineWriter(IAnsiConsole console) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                WriteLineLocked();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _line.Append(value);
            WriteLineLocked();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            if (_line.Length > 0)
            {
                WriteLineLocked();
            }
        }
    }

    private void WriteLineLocked()
    {
        // Text, not markup: a RESULT line's brackets must print as they are.
        console.WriteLine(_line.ToString());
        _line.Clear();
    }
}
