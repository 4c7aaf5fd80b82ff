using System.Runtime.CompilerServices;

namespace ReactiveKv;

/// <summary>
/// Awaits a <see cref="Deferred{T}"/> the way <c>await</c> on a task behaves: the code after the <c>await</c> resumes
/// in the awaiting code's synchronization context (a loop's, when awaited on a loop thread), or on the thread pool
/// when it had none; not inline on a reactor thread that merely produced the result, which would run caller code
/// on the reactor and tie it to the reactor's lifetime, unless that loop opted in with
/// <see cref="ReactorOptions.ResumeAwaitersOnLoop"/>.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public readonly struct DeferredAwaiter<T> : ICriticalNotifyCompletion
{
    private readonly Deferred<T> _deferred;

    internal DeferredAwaiter(Deferred<T> deferred) => _deferred = deferred;

    /// <summary>True once the result is in.</summary>
    public bool IsCompleted => _deferred.Called;

    /// <summary>The result, or its error rethrown with its original stack.</summary>
    public T GetResult() => _deferred.ResultNow();

    /// <inheritdoc />
    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    /// <inheritdoc />
    public void UnsafeOnCompleted(Action continuation)
    {
        var context = SynchronizationContext.Current;
        _deferred.WhenSettled(() => Resume(context, continuation));
    }

    private static void Resume(SynchronizationContext? context, Action continuation)
    {
        var current = SynchronizationContext.Current;
        if (context is not null)
        {
            if (ReferenceEquals(context, current))
            {
                continuation();
            }
            else
            {
                context.Post(static s => ((Action)s!)(), continuation);
            }
        }
        else if (EventLoop.Current is { } loop ? loop.ResumeAwaitersOnLoop : current is null)
        {
            // Settled off any loop (nothing to protect), or on a loop that asked for Twisted's inline resumption.
            continuation();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s(), continuation, preferLocal: false);
        }
    }
}
