using System.Text;

namespace ReactiveKv.Tests.Examples;

/// <summary>A writer that keeps everything written and completes <see cref="Matched"/> with the first whole line that matches.</summary>
internal sealed class LineWatcher(Func<string, bool> match) : StringWriter
{
    private readonly StringBuilder _pending = new();
    private readonly TaskCompletionSource<string> _matched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Matched => _matched.Task;

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
                if (match(line))
                {
                    _matched.TrySetResult(line);
                }
            }
        }
    }
}
