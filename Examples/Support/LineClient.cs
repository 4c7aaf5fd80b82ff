using System.Buffers;
using System.Text;

namespace ReactiveKv.Examples.Support;

/// <summary>
/// A line-based client protocol for the examples: send lines, and take received lines one at a time as Deferreds.
/// Callable from any thread: the work is moved to the connection's loop, where all of the protocol's state lives.
/// </summary>
public class LineClient : LineReceiver
{
    private readonly Queue<string> _unread = new();
    private readonly Queue<Deferred<string>> _readers = new();
    private readonly List<string> _transcript = [];
    private readonly TaskCompletionSource<Exception> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<LineClient>? _connected;
    private Exception? _lostReason;

    /// <summary>Creates a client; <paramref name="connected"/> runs on the loop once the connection is made.</summary>
    public LineClient(Action<LineClient>? connected = null) => _connected = connected;

    /// <summary>Completes with the reason once the connection is gone (never faults).</summary>
    public Task<Exception> Lost => _lost.Task;

    /// <summary>Every line received so far, in order, whether or not it was read.</summary>
    public IReadOnlyList<string> Transcript
    {
        get
        {
            lock (_transcript)
            {
                return [.. _transcript];
            }
        }
    }

    /// <summary>Sends <paramref name="line"/> with the delimiter.</summary>
    public void Send(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        Transport.Loop.Execute(() => SendLine(bytes));
    }

    /// <summary>The next line not yet read; fails with the reason if the connection ends first.</summary>
    public Deferred<string> ReadLine()
    {
        var reader = new Deferred<string>();
        Transport.Loop.Execute(() => Serve(reader));
        return reader;
    }

    /// <summary>Closes the connection once what was sent has gone out.</summary>
    public void Close() => Transport.LoseConnection();

    /// <inheritdoc />
    public override void ConnectionMade() => _connected?.Invoke(this);

    /// <inheritdoc />
    protected override void LineReceived(in ReadOnlySequence<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        lock (_transcript)
        {
            _transcript.Add(text);
        }

        // A reader that timed out or was cancelled is already settled; the line goes to the next one.
        while (_readers.TryDequeue(out var reader))
        {
            if (reader.TryCallback(text))
            {
                return;
            }
        }

        _unread.Enqueue(text);
    }

    /// <inheritdoc />
    protected override void ConnectionLost(Exception reason)
    {
        _lostReason = reason;
        while (_readers.TryDequeue(out var reader))
        {
            reader.TryErrback(reason);
        }

        _lost.TrySetResult(reason);
    }

    private void Serve(Deferred<string> reader)
    {
        if (_unread.TryDequeue(out var line))
        {
            reader.TryCallback(line);
        }
        else if (_lostReason is not null)
        {
            reader.TryErrback(_lostReason);
        }
        else
        {
            _readers.Enqueue(reader);
        }
    }
}
