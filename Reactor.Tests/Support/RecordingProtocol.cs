using System.Buffers;

namespace ReactiveKv.Tests.Support;

/// <summary>Records every callback, the thread it ran on, and the bytes received; signals when enough bytes are in.</summary>
internal class RecordingProtocol : Protocol
{
    private readonly List<byte> _received = [];
    private readonly List<(long Count, TaskCompletionSource Signal)> _waiters = [];

    public TaskCompletionSource Made { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<Exception> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<string> Events { get; } = [];

    public HashSet<int> CallbackThreads { get; } = [];

    public EventLoop? LoopAtConnect { get; private set; }

    public bool AllCallbacksOnLoopThread { get; private set; } = true;

    public long ReceivedCount
    {
        get
        {
            lock (_received)
            {
                return _received.Count;
            }
        }
    }

    public byte[] Received()
    {
        lock (_received)
        {
            return [.. _received];
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> bytes have arrived.</summary>
    public Task WhenReceived(long count)
    {
        lock (_received)
        {
            if (_received.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }

    public override void ConnectionMade()
    {
        Note("made");
        LoopAtConnect = EventLoop.Current;
        Made.TrySetResult();
    }

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        Note("data");
        lock (_received)
        {
            foreach (var segment in data)
            {
                _received.AddRange(segment.Span);
            }

            foreach (var waiter in _waiters.Where(w => _received.Count >= w.Count).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return data.End;
    }

    protected override void ConnectionLost(Exception reason)
    {
        Note("lost");
        Lost.TrySetResult(reason);
    }

    private void Note(string what)
    {
        lock (Events)
        {
            Events.Add(what);
            CallbackThreads.Add(Environment.CurrentManagedThreadId);
            if (EventLoop.Current is null || (Connected && !ReferenceEquals(EventLoop.Current, Transport.Loop)))
            {
                AllCallbacksOnLoopThread = false;
            }
        }
    }
}
