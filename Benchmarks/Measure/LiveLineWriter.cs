using System.Collections.Concurrent;
using System.Text;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>
/// Standard output while the progress display runs on the same terminal: whole lines are queued here and the
/// display prints them above its progress line (a direct write would be overdrawn). Queued, not written through:
/// Console.SetOut puts a lock around this writer, and .NET takes that same lock (Console.Out) when the display asks
/// for the terminal's width, so printing through the display from inside the lock deadlocks.
/// </summary>
public sealed class LiveLineWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _line = new();
    private readonly ConcurrentQueue<string> _lines = new();

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Takes the complete lines written so far, in order.</summary>
    public IEnumerable<string> Drain()
    {
        while (_lines.TryDequeue(out var line))
        {
            yield return line;
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_line.ToString());
                _line.Clear();
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
            _lines.Enqueue(_line.ToString());
            _line.Clear();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            if (_line.Length > 0)
            {
                _lines.Enqueue(_line.ToString());
                _line.Clear();
            }
        }
    }
}
