using System.Reactive.Concurrency;

namespace ReactiveKv.Testing;

/// <summary>
/// A virtual clock for deterministic tests (Microsoft.Reactive.Testing's TestScheduler, which does not restore here).
/// Time is in ticks and only moves when the test calls <see cref="VirtualTimeSchedulerBase{TAbsolute,TRelative}.AdvanceBy"/>
/// or <see cref="VirtualTimeSchedulerBase{TAbsolute,TRelative}.AdvanceTo"/>. Scheduling is thread-safe so a reactor loop
/// may use this clock while the test thread advances it.
/// </summary>
public sealed class TestScheduler : VirtualTimeSchedulerBase<long, long>
{
    private readonly object _gate = new();
    private readonly PriorityQueue<Item, (long Due, long Seq)> _queue = new();
    private long _sequence;

    /// <summary>A clock at time zero (year 1).</summary>
    public TestScheduler()
    {
    }

    /// <summary>A clock whose <see cref="VirtualTimeSchedulerBase{TAbsolute,TRelative}.Now"/> starts at <paramref name="start"/>, for code that reads calendar time (expiry in Unix seconds).</summary>
    public TestScheduler(DateTimeOffset start)
        : base(start.UtcTicks, Comparer<long>.Default)
    {
    }

    /// <summary>Number of scheduled actions that have not run and were not cancelled.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.UnorderedItems.Count(e => !e.Element.IsDisposed);
            }
        }
    }

    /// <summary>Due times (as offsets from time zero) of the pending actions, earliest first.</summary>
    public IReadOnlyList<TimeSpan> PendingDueTimes
    {
        get
        {
            lock (_gate)
            {
                return _queue.UnorderedItems.Where(e => !e.Element.IsDisposed)
                    .Select(e => new TimeSpan(e.Priority.Due)).Order().ToList();
            }
        }
    }

    /// <summary>Advances the clock by <paramref name="by"/>, running everything that falls due on the way.</summary>
    public void AdvanceBy(TimeSpan by) => AdvanceBy(by.Ticks);

    /// <summary>
    /// Steps the clock by <paramref name="by"/>, backwards too, without running anything: a wall clock corrected
    /// under the code that reads it. Pending actions keep their due times.
    /// </summary>
    public void StepClock(TimeSpan by)
    {
        lock (_gate)
        {
            Clock += by.Ticks;
        }
    }

    /// <inheritdoc />
    public override IDisposable ScheduleAbsolute<TState>(TState state, long dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        var item = new Item<TState>(this, state, action, dueTime);
        lock (_gate)
        {
            _queue.Enqueue(item, (dueTime, _sequence++));
        }

        return item;
    }

    /// <inheritdoc />
    protected override long Add(long absolute, long relative) => absolute + relative;

    /// <inheritdoc />
    protected override DateTimeOffset ToDateTimeOffset(long absolute) => new(absolute, TimeSpan.Zero);

    /// <inheritdoc />
    protected override long ToRelative(TimeSpan timeSpan) => timeSpan.Ticks;

    /// <inheritdoc />
    protected override IScheduledItem<long>? GetNext()
    {
        lock (_gate)
        {
            while (_queue.TryPeek(out var item, out _))
            {
                if (!item.IsDisposed)
                {
                    return item;
                }

                _queue.Dequeue();
            }

            return null;
        }
    }

    private void Remove(Item item)
    {
        lock (_gate)
        {
            if (_queue.TryPeek(out var head, out _) && ReferenceEquals(head, item))
            {
                _queue.Dequeue();
            }
            else
            {
                item.MarkRan();
            }
        }
    }

    private abstract class Item : IScheduledItem<long>, IDisposable
    {
        private int _disposed;

        protected Item(long dueTime) => DueTime = dueTime;

        public long DueTime { get; }

        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        public void MarkRan() => Dispose();

        public abstract void Invoke();
    }

    private sealed class Item<TState> : Item
    {
        private readonly TestScheduler _owner;
        private readonly TState _state;
        private readonly Func<IScheduler, TState, IDisposable> _action;

        public Item(TestScheduler owner, TState state, Func<IScheduler, TState, IDisposable> action, long dueTime)
            : base(dueTime)
        {
            _owner = owner;
            _state = state;
            _action = action;
        }

        public override void Invoke()
        {
            if (IsDisposed)
            {
                return;
            }

            _owner.Remove(this);
            _action(_owner, _state);
        }
    }
}
