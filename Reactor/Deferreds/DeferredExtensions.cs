using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace ReactiveKv;

/// <summary>Deferred behaviour for any <see cref="IObservable{T}"/> that yields one result.</summary>
public static class DeferredExtensions
{
    /// <summary>Subscribes now and keeps the result: a hot, replaying, single-result view of <paramref name="source"/>.</summary>
    public static Deferred<T> ToDeferred<T>(this IObservable<T> source) => Deferred.From(source);

    /// <summary>Fails with <see cref="ReactorTimeoutException"/> after <paramref name="timeout"/> on <paramref name="clock"/>, cancelling the operation.</summary>
    public static Deferred<T> AddTimeout<T>(this IObservable<T> source, TimeSpan timeout, IScheduler clock) =>
        Deferred.From(source).AddTimeout(timeout, clock);

    /// <summary>Cancels the operation when <paramref name="token"/> fires.</summary>
    public static Deferred<T> WithCancellation<T>(this IObservable<T> source, CancellationToken token) =>
        Deferred.From(source).WithCancellation(token);

    /// <summary>
    /// Blocks until the one result is in and returns it (or throws its error). On a reactor thread it throws
    /// <see cref="BlockingCallOnReactorThreadException"/> at once: that thread is the one that would produce the result.
    /// </summary>
    public static T GetResult<T>(this IObservable<T> source, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (EventLoop.Current is { } loop)
        {
            throw new BlockingCallOnReactorThreadException(
                "A blocking wait on a result was made on reactor thread '" + Thread.CurrentThread.Name +
                "'. Results are produced on this thread, so the wait could never end. Use await, SelectMany or Subscribe instead.");
        }

        var task = ToTaskCore(source, cancellationToken);
        if (timeout is { } limit && !task.Wait(limit, cancellationToken))
        {
            throw new ReactorTimeoutException($"No result within {limit}.", limit);
        }

        return task.GetAwaiter().GetResult();
    }

    // A Deferred's task is completed where the result is fired: task continuations never run inline on a loop
    // (its synchronization context forbids it), and a blocked GetResult wakes without a thread-pool hop in between.
    internal static Task<T> ToTaskCore<T>(IObservable<T> source, CancellationToken cancellationToken) =>
        (source is Deferred<T> deferred ? deferred.AsFired : source).Take(1).ToTask(cancellationToken);
}
