using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;

namespace ReactiveKv;

/// <summary>
/// The result of one operation that is already under way (Twisted's <c>Deferred</c>) as an Rx observable: it
/// produces exactly one value or one error, keeps it for late subscribers, and never re-runs the operation.
/// Compose it with Rx (<c>SelectMany</c>, <c>Catch</c>, <c>Timeout</c>, <c>Zip</c>) or <c>await</c> it.
/// Producers fire it on their loop thread, so subscribers that subscribed on a loop run there; subscribers from
/// outside the reactor get it on the thread pool (see <see cref="OffLoopObservable.ObserveOffLoop{T}"/>), so neither
/// their callbacks nor code after <c>await</c> through Rx's own awaiter ever run on a loop they were not on.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public sealed class Deferred<T> : IObservable<T>
{
    // Made on first subscription only: most results are awaited once and never need an Rx subject.
    private AsyncSubject<T>? _subject;
    private readonly Action<Deferred<T>>? _canceller;
    private int _state;
    private T _value = default!;
    private Exception? _error;

    // One awaiter is the common case: it waits here instead of subscribing an observer to the subject.
    private Action? _continuation;
    private static readonly Action SettledMarker = () => { };

    /// <summary>Creates a pending result.</summary>
    /// <param name="canceller">Called by <see cref="Cancel"/> while pending, to stop the operation (for a multiplexed connection: stop waiting for the reply).</param>
    public Deferred(Action<Deferred<T>>? canceller = null) => _canceller = canceller;

    /// <summary>True once a value or an error is in.</summary>
    public bool Called => Volatile.Read(ref _state) is Succeeded or Failed;

    /// <summary>True when the result is an error.</summary>
    public bool IsFaulted => Volatile.Read(ref _state) == Failed;

    /// <summary>True after <see cref="Cancel"/> settled it.</summary>
    public bool IsCancelled { get; private set; }

    private const int Pending = 0;
    private const int Succeeded = 1;
    private const int Failed = 2;
    private const int Settling = 3;

    /// <summary>Fires the result. Throws <see cref="AlreadyCalledException"/> if it already fired, unless it was cancelled.</summary>
    public void Callback(T value)
    {
        if (!TryCallback(value) && !IsCancelled)
        {
            throw new AlreadyCalledException("This Deferred already has a result.");
        }
    }

    /// <summary>Fires an error. Throws <see cref="AlreadyCalledException"/> if it already fired, unless it was cancelled.</summary>
    public void Errback(Exception error)
    {
        if (!TryErrback(error) && !IsCancelled)
        {
            throw new AlreadyCalledException("This Deferred already has a result.", error);
        }
    }

    /// <summary>Fires the result if none is in yet; returns whether it did.</summary>
    public bool TryCallback(T value)
    {
        if (Interlocked.CompareExchange(ref _state, Settling, Pending) != Pending)
        {
            return false;
        }

        _value = value;
        Volatile.Write(ref _state, Succeeded);
        RunContinuation();
        if (Volatile.Read(ref _subject) is { } subject)
        {
            Publish(subject);
        }

        return true;
    }

    /// <summary>Fires an error if no result is in yet; returns whether it did.</summary>
    public bool TryErrback(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Interlocked.CompareExchange(ref _state, Settling, Pending) != Pending)
        {
            return false;
        }

        _error = error;
        Volatile.Write(ref _state, Failed);
        RunContinuation();
        if (Volatile.Read(ref _subject) is { } subject)
        {
            Publish(subject);
        }

        return true;
    }

    /// <summary>
    /// Gives up on the result: runs the canceller, then, unless the canceller settled it, fails it with
    /// <see cref="OperationCanceledException"/>. Does nothing once a result is in.
    /// </summary>
    public void Cancel()
    {
        if (Called)
        {
            return;
        }

        IsCancelled = true;
        _canceller?.Invoke(this);
        TryErrback(new OperationCanceledException("The operation was cancelled."));
    }

    /// <summary>Fails the result with <see cref="ReactorTimeoutException"/> (and cancels the operation) if it is not in after <paramref name="timeout"/> on <paramref name="clock"/>.</summary>
    public Deferred<T> AddTimeout(TimeSpan timeout, IScheduler clock)
    {
        if (Called)
        {
            return this;
        }

        var timer = clock.Schedule(timeout, () =>
        {
            if (Called)
            {
                return;
            }

            IsCancelled = true;
            _canceller?.Invoke(this);
            TryErrback(new ReactorTimeoutException($"The operation did not complete within {timeout}.", timeout));
        });
        Subject().Subscribe(_ => { }, _ => timer.Dispose(), timer.Dispose);
        return this;
    }

    /// <summary>Cancels the operation when <paramref name="token"/> is cancelled.</summary>
    public Deferred<T> WithCancellation(CancellationToken token)
    {
        if (!token.CanBeCanceled || Called)
        {
            return this;
        }

        var registration = token.Register(static s => ((Deferred<T>)s!).Cancel(), this);
        Subject().Subscribe(_ => { }, _ => registration.Dispose(), () => registration.Dispose());
        return this;
    }

    /// <inheritdoc />
    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var target = OffLoopObserver<T>.For(observer);
        var subscription = Subject().Subscribe(target);
        return target is IDisposable detach ? StableCompositeDisposable.Create(detach, subscription) : subscription;
    }

    /// <summary>
    /// Twisted's <c>addCallback</c>: a Deferred of <paramref name="callback"/>'s result, run where this one fires (no
    /// thread hop, no subscription wrapper); an exception from the callback, or this one's error, fails it.
    /// Cancelling it cancels this one.
    /// </summary>
    public Deferred<TResult> Then<TResult>(Func<T, TResult> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var next = new Deferred<TResult>(_ => Cancel());
        Subject().Subscribe(
            value =>
            {
                TResult mapped;
                try
                {
                    mapped = callback(value);
                }
                catch (Exception e)
                {
                    next.TryErrback(e);
                    return;
                }

                next.TryCallback(mapped);
            },
            error => next.TryErrback(error));
        return next;
    }

    /// <summary>
    /// The result as it is fired, on the thread that fires it, for the library's own plumbing (combinators, tasks)
    /// that hands it on without running caller code.
    /// </summary>
    internal IObservable<T> AsFired => Subject();

    /// <summary>Lets <c>await</c> take the result; see <see cref="DeferredAwaiter{T}"/> for where the code after it runs.</summary>
    public DeferredAwaiter<T> GetAwaiter() => new(this);

    /// <summary>The result of a settled Deferred, or its error rethrown.</summary>
    internal T ResultNow()
    {
        var state = Volatile.Read(ref _state);
        if (state == Succeeded)
        {
            return _value;
        }

        if (state == Failed)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error!);
        }

        throw new InvalidOperationException("The Deferred has no result yet.");
    }

    /// <summary>Runs <paramref name="callback"/> once the result is in (at once if it is).</summary>
    internal void WhenSettled(Action callback)
    {
        if (Interlocked.CompareExchange(ref _continuation, callback, null) is null)
        {
            return;
        }

        // Already settled, or a second awaiter: the subject replays or notifies as for any subscriber.
        Subject().Subscribe(_ => { }, _ => callback(), callback);
    }

    /// <summary>
    /// The subject, created on demand. A result that settled while it was being created is pushed into it here;
    /// the settling thread may push it too, which the subject ignores once it has completed.
    /// </summary>
    private AsyncSubject<T> Subject()
    {
        if (Volatile.Read(ref _subject) is { } existing)
        {
            return existing;
        }

        var created = new AsyncSubject<T>();
        var subject = Interlocked.CompareExchange(ref _subject, created, null) ?? created;
        if (Called)
        {
            Publish(subject);
        }

        return subject;
    }

    private void Publish(AsyncSubject<T> subject)
    {
        if (Volatile.Read(ref _state) == Succeeded)
        {
            subject.OnNext(_value);
            subject.OnCompleted();
        }
        else
        {
            subject.OnError(_error!);
        }
    }

    private void RunContinuation()
    {
        var continuation = Interlocked.Exchange(ref _continuation, SettledMarker);
        if (continuation is not null && !ReferenceEquals(continuation, SettledMarker))
        {
            continuation();
        }
    }

    /// <summary>The result as a task.</summary>
    public Task<T> ToTask(CancellationToken cancellationToken = default) => DeferredExtensions.ToTaskCore(this, cancellationToken);

    /// <summary>
    /// Blocks until the result is in. Throws <see cref="BlockingCallOnReactorThreadException"/> at once on a reactor
    /// thread, where the wait could never end.
    /// </summary>
    public T GetResult(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        DeferredExtensions.GetResult(this, timeout, cancellationToken);
}
