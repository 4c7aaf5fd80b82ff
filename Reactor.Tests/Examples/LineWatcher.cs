using System.Text;

namespace ReactiveKv.Tests.Examples;

/// <summary>
/// A writer that keeps everything written and lets a test await whole lines: <see cref="Matched"/> completes with the
/// first line that matches the constructor's predicate, <see cref="WaitForLineAsync"/> with the first (already written
/// or still to come) line that matches another.
/// </summary>
internal sealed class LineWatcher : StringWriter
{
    private readonly StringBuilder _pending = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public LineWatcher(Func<string, bool> match)
    {
        Matched = WaitForLineAsync(match);
    }

    public Task<string> Matched { get; }

    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_pending)
        {
            if (_lines.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task;
        }
    }

    public override void Write(char value)
    {
        base.Write(value);
        Scan(value.ToString());
    }

    public override void Write(string? value)
    {
        base.Write(value);
        Scan(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        base.Write(buffer, index, count);
        Scan(new string(buffer, index, count));
    }

    private void Scan(string? text)
    {
        lock (_pending)
        {
            _pending.Append(text);
            var all = _pending.ToString();
            var end = all.LastIndexOf('\n');
            if (end < 0)
            {
                return;
            }

            _pending.Remove(0, end + 1);
            foreach (var line in all[..end].Split('\n').Select(l => l.TrimEnd('\r')))
            {
                _lines.Add(line);
                Notify(line);
            }
        }
    }

    private void Notify(string line)
    {
        foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
        {
            waiter.Found.TrySetResult(line);
            _waiters.Remove(waiter);
        }
    }
}
