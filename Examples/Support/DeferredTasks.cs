namespace ReactiveKv.Examples.Support;

/// <summary>Awaiting reactor results from code that runs off the loops.</summary>
public static class DeferredTasks
{
    /// <summary>
    /// The one result of <paramref name="source"/> as a task that resumes its awaiter off the loop thread, cancelling
    /// the operation when <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <remarks>
    /// Awaiting a <see cref="Deferred{T}"/> directly resumes on the loop thread that fired it, with that loop's
    /// synchronization context current; a later <c>await</c> there (say of <c>reactor.DisposeAsync()</c>) posts its
    /// continuation to a loop that may have stopped by then, and it never runs.
    /// </remarks>
    public static Task<T> ResultAsync<T>(this IObservable<T> source, CancellationToken cancellationToken = default)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.ToDeferred().WithCancellation(cancellationToken).Subscribe(
            value => result.TrySetResult(value),
            error => result.TrySetException(error));
        return result.Task;
    }

    /// <summary>Completes when <paramref name="cancellationToken"/> fires (a wait on a signal, never a fault).</summary>
    public static Task WhenCancelled(this CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => cancelled.TrySetResult());
        return cancelled.Task;
    }
}
