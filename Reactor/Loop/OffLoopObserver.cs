using System.Collections.Concurrent;
using System.Reactive;
using System.Runtime.ExceptionServices;

namespace ReactiveKv;

/// <summary>
/// Stands between a loop and an observer that subscribed off every loop: notifications produced on a loop thread are
/// delivered on the thread pool, in order, so caller code (an Rx awaiter's continuation above all) is never run on
/// the reactor and never finds the loop's synchronization context current. Notifications produced off any loop, or
/// on a loop with <see cref="ReactorOptions.ResumeAwaitersOnLoop"/>, are delivered inline as before.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class OffLoopObserver<T> : IObserver<T>, IDisposable
{
    /// <summary>How many notifications may wait for a slow subscriber before it is dropped with <see cref="ObserverOverflowException"/>.</summary>
    internal const int MaxQueued = 1 << 16;

    private readonly IObserver<T> _inner;
    private readonly ConcurrentQueue<Notification<T>> _queue = new();

    // Notifications accepted and not yet delivered; whoever takes it from 0 to 1 delivers until it is 0 again.
    private int _pending;
    private EventLoop? _origin;
    private Action? _scheduleDrain;
    private volatile bool _disposed;
    private bool _overflowed;

    private OffLoopObserver(IObserver<T> inner) => _inner = inner;

    /// <summary>The observer to subscribe for <paramref name="observer"/>: itself on a loop thread, else a wrapper.</summary>
    public static IObserver<T> For(IObserver<T> observer) =>
        EventLoop.Current is null ? new OffLoopObserver<T>(observer) : observer;

    /// <inheritdoc />
    public void OnNext(T value)
    {
        if (!TryDeliverInline(static (o, v) => o.OnNext(v), value))
        {
            Enqueue(Notification.CreateOnNext(value));
        }
    }

    /// <inheritdoc />
    public void OnError(Exception error)
    {
        if (!TryDeliverInline(static (o, e) => o.OnError(e), error))
        {
            Enqueue(Notification.CreateOnError<T>(error));
        }
    }

    /// <inheritdoc />
    public void OnCompleted()
    {
        if (!TryDeliverInline(static (o, _) => o.OnCompleted(), 0))
        {
            Enqueue(Notification.CreateOnCompleted<T>());
        }
    }

    /// <summary>Drops notifications not delivered yet.</summary>
    public void Dispose() => _disposed = true;

    private static bool MustLeave(EventLoop? loop) => loop is { ResumeAwaitersOnLoop: false };

    /// <summary>Off the loops with nothing queued, delivers at once on this thread without allocating.</summary>
    private bool TryDeliverInline<TArg>(Action<IObserver<T>, TArg> deliver, TArg argument)
    {
        if (MustLeave(EventLoop.Current) || Interlocked.CompareExchange(ref _pending, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            if (!_disposed)
            {
                deliver(_inner, argument);
            }
        }
        catch
        {
            // An observer that throws gets nothing more; the count must still come down, or every later item would queue for ever.
            _disposed = true;
            throw;
        }
        finally
        {
            if (Interlocked.Decrement(ref _pending) != 0)
            {
                Drain();
            }
        }

        return true;
    }

    private void Enqueue(Notification<T> notification)
    {
        // Only the producing thread enqueues (Rx serialises notifications), so the overflow flag needs no lock.
        if (_overflowed)
        {
            return;
        }

        if (Volatile.Read(ref _pending) >= MaxQueued)
        {
            _overflowed = true;
            notification = Notification.CreateOnError<T>(new ObserverOverflowException(
                $"{MaxQueued} notifications were waiting for a subscriber that runs off the reactor; it was unsubscribed rather than buffer without bound. Consume faster, or subscribe on the loop."));
        }

        _queue.Enqueue(notification);
        if (Interlocked.Increment(ref _pending) != 1)
        {
            return;
        }

        var loop = EventLoop.Current;
        if (MustLeave(loop))
        {
            // One hop per loop turn, not per item: a burst (a page of rows, a read full of messages) is handed over
            // whole once the loop has produced it, so the two threads do not trade every item.
            _origin = loop;
            loop!.RunAtEndOfTurn(_scheduleDrain ??= () => ThreadPool.UnsafeQueueUserWorkItem(static o => o.DrainOffLoop(), this, preferLocal: false));
        }
        else
        {
            Drain();
        }
    }

    /// <summary>Delivers queued notifications until <see cref="_pending"/> is back to 0.</summary>
    private void Drain()
    {
        Exception? failure = null;
        do
        {
            _queue.TryDequeue(out var next);
            if (failure is null)
            {
                try
                {
                    Deliver(next!);
                }
                catch (Exception e)
                {
                    // Keep counting down (dropping the rest) so the wrapper is not stuck, then report the observer's error.
                    failure = e;
                    _disposed = true;
                }
            }
        }
        while (Interlocked.Decrement(ref _pending) != 0);

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private void DrainOffLoop()
    {
        try
        {
            Drain();
        }
        catch (Exception e) when (_origin is { } loop)
        {
            // An observer that throws is reported where it would have been had it run on the loop: the loop logs it.
            var error = ExceptionDispatchInfo.Capture(e);
            loop.CallFromThread(error.Throw);
        }
    }

    private void Deliver(Notification<T> notification)
    {
        if (!_disposed)
        {
            notification.Accept(_inner);
        }
    }
}
