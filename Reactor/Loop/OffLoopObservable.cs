using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace ReactiveKv;

/// <summary>Keeps code outside the reactor off the loops when it observes what the loops produce.</summary>
public static class OffLoopObservable
{
    /// <summary>
    /// A subscriber that subscribes off every loop thread gets the notifications that a loop produces on the thread
    /// pool instead, in order; one that subscribes on a loop thread, or a loop with
    /// <see cref="ReactorOptions.ResumeAwaitersOnLoop"/>, gets them inline as they are produced. Every observable the
    /// library hands out behaves this way, so <c>await</c> through Rx's awaiter (<c>await o.ToList()</c>) resumes
    /// caller code where <c>await</c> on a <see cref="Deferred{T}"/> would: never on a loop the caller was not on.
    /// </summary>
    public static IObservable<T> ObserveOffLoop<T>(this IObservable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Observable.Create<T>(observer =>
        {
            var target = OffLoopObserver<T>.For(observer);
            var subscription = source.Subscribe(target);
            return target is IDisposable detach ? StableCompositeDisposable.Create(detach, subscription) : subscription;
        });
    }
}
