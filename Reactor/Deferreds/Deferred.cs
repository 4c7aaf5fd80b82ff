using System.Reactive;
using System.Reactive.Linq;

namespace ReactiveKv;

/// <summary>Makers and combinators of <see cref="Deferred{T}"/> (Twisted's <c>succeed</c>, <c>fail</c>, <c>gatherResults</c>, <c>DeferredList</c>, <c>race</c>).</summary>
public static class Deferred
{
    /// <summary>A result that is already in.</summary>
    public static Deferred<T> Succeed<T>(T value)
    {
        var d = new Deferred<T>();
        d.Callback(value);
        return d;
    }

    /// <summary>An error that is already in.</summary>
    public static Deferred<T> Fail<T>(Exception error)
    {
        var d = new Deferred<T>();
        d.Errback(error);
        return d;
    }

    /// <summary>Runs <paramref name="action"/> now and captures its result or exception (Twisted's <c>maybeDeferred</c>).</summary>
    public static Deferred<T> Execute<T>(Func<T> action)
    {
        try
        {
            return Succeed(action());
        }
        catch (Exception e)
        {
            return Fail<T>(e);
        }
    }

    /// <summary>Wraps a task; the task is already running, so this is hot.</summary>
    public static Deferred<T> FromTask<T>(Task<T> task)
    {
        var d = new Deferred<T>();
        task.ContinueWith(
            static (t, s) =>
            {
                var target = (Deferred<T>)s!;
                if (t.IsCompletedSuccessfully)
                {
                    target.TryCallback(t.Result);
                }
                else
                {
                    target.TryErrback(t.IsCanceled ? new OperationCanceledException("The task was cancelled.") : t.Exception!.InnerExceptions.Count == 1 ? t.Exception.InnerException! : t.Exception);
                }
            },
            d,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return d;
    }

    /// <summary>
    /// Subscribes to <paramref name="source"/> now and keeps its last value (or error) as a Deferred. Disposing the
    /// subscription is the canceller. An observable that completes empty fails with <see cref="InvalidOperationException"/>.
    /// </summary>
    public static Deferred<T> From<T>(IObservable<T> source)
    {
        if (source is Deferred<T> existing)
        {
            return existing;
        }

        IDisposable? subscription = null;
        var d = new Deferred<T>(_ => subscription?.Dispose());
        var hasValue = false;
        T last = default!;
        subscription = source.Subscribe(
            v =>
            {
                hasValue = true;
                last = v;
            },
            e => d.TryErrback(e),
            () =>
            {
                if (hasValue)
                {
                    d.TryCallback(last);
                }
                else
                {
                    d.TryErrback(new InvalidOperationException("The operation completed without a result."));
                }
            });
        if (d.Called)
        {
            subscription.Dispose();
        }

        return d;
    }

    /// <summary>
    /// All results in order, or the first error (Twisted's <c>gatherResults</c>); on an error the others are cancelled.
    /// </summary>
    public static Deferred<IReadOnlyList<T>> Gather<T>(IEnumerable<IObservable<T>> operations)
    {
        var items = operations.Select(From).ToArray();
        var gathered = new Deferred<IReadOnlyList<T>>(_ => CancelAll(items));
        if (items.Length == 0)
        {
            gathered.Callback([]);
            return gathered;
        }

        var results = new T[items.Length];
        var remaining = items.Length;
        for (var i = 0; i < items.Length; i++)
        {
            var index = i;
            items[i].AsFired.Subscribe(
                v =>
                {
                    results[index] = v;
                    if (Interlocked.Decrement(ref remaining) == 0)
                    {
                        gathered.TryCallback(results);
                    }
                },
                e =>
                {
                    if (gathered.TryErrback(e))
                    {
                        CancelAll(items);
                    }
                });
        }

        return gathered;
    }

    /// <summary>Every outcome, success or failure, in order (Twisted's <c>DeferredList</c> with consumed errors).</summary>
    public static Deferred<IReadOnlyList<DeferredResult<T>>> List<T>(IEnumerable<IObservable<T>> operations) =>
        Gather(operations.Select(o => From(o)
            .Select(v => new DeferredResult<T>(true, v, null))
            .Catch((Exception e) => Observable.Return(new DeferredResult<T>(false, default, e)))));

    /// <summary>The first result to arrive, with its index; the rest are cancelled (Twisted's <c>race</c>).</summary>
    public static Deferred<(int Index, T Value)> Race<T>(IEnumerable<IObservable<T>> operations)
    {
        var items = operations.Select(From).ToArray();
        var raced = new Deferred<(int Index, T Value)>(_ => CancelAll(items));
        if (items.Length == 0)
        {
            raced.Errback(new ArgumentException("Race needs at least one operation.", nameof(operations)));
            return raced;
        }

        var failures = 0;
        for (var i = 0; i < items.Length; i++)
        {
            var index = i;
            items[i].AsFired.Subscribe(
                v =>
                {
                    if (raced.TryCallback((index, v)))
                    {
                        CancelAll(items);
                    }
                },
                e =>
                {
                    if (Interlocked.Increment(ref failures) == items.Length)
                    {
                        raced.TryErrback(new AggregateException("Every raced operation failed.", items.Select(ErrorOf)));
                    }
                });
        }

        return raced;
    }

    /// <summary>A Deferred that fires with <see cref="Unit"/> after <paramref name="delay"/> on <paramref name="clock"/> (Twisted's <c>deferLater</c>); cancelling it cancels the timer.</summary>
    public static Deferred<Unit> Later(System.Reactive.Concurrency.IScheduler clock, TimeSpan delay)
    {
        IDisposable? timer = null;
        var d = new Deferred<Unit>(_ => timer?.Dispose());
        timer = System.Reactive.Concurrency.Scheduler.Schedule(clock, delay, () => d.TryCallback(Unit.Default));
        return d;
    }

    private static void CancelAll<T>(Deferred<T>[] items)
    {
        foreach (var item in items)
        {
            item.Cancel();
        }
    }

    private static Exception ErrorOf<T>(Deferred<T> item)
    {
        Exception? error = null;
        item.Subscribe(_ => { }, e => error = e);
        return error ?? new OperationCanceledException();
    }
}
