using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ReactiveKv;

/// <summary>
/// The two bridges between <see cref="IObservable{T}"/> and <see cref="IAsyncEnumerable{T}"/> (System.Linq.Async
/// clashes with .NET 10's in-box async LINQ, so they are ours).
/// </summary>
public static class AsyncEnumerableBridge
{
    /// <summary>
    /// Enumerates <paramref name="source"/> asynchronously. Items the consumer has not taken yet wait in a buffer of
    /// at most <paramref name="capacity"/>; a consumer that falls further behind a hot stream gets an
    /// <see cref="ReactorException"/> rather than unbounded memory use. Ending the enumeration unsubscribes.
    /// </summary>
    public static async IAsyncEnumerable<T> ToAsyncEnumerable<T>(
        this IObservable<T> source,
        int capacity = 4096,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        using var subscription = source.Subscribe(
            item =>
            {
                if (!channel.Writer.TryWrite(item))
                {
                    channel.Writer.TryComplete(new ReactorException(
                        $"The consumer fell more than {capacity} items behind the stream."));
                }
            },
            error => channel.Writer.TryComplete(error),
            () => channel.Writer.TryComplete());
        while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (channel.Reader.TryRead(out var item))
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// A cold observable over <paramref name="source"/>: each subscription enumerates it afresh, one item at a time,
    /// and disposing the subscription cancels the enumeration.
    /// </summary>
    public static IObservable<T> ToObservable<T>(this IAsyncEnumerable<T> source) =>
        Observable.Create<T>(observer =>
        {
            var cts = new CancellationTokenSource();
            _ = PumpAsync(source, observer, cts.Token);
            return Disposable.Create(cts.Cancel);
        });

    private static async Task PumpAsync<T>(IAsyncEnumerable<T> source, IObserver<T> observer, CancellationToken token)
    {
        try
        {
            await foreach (var item in source.WithCancellation(token).ConfigureAwait(false))
            {
                observer.OnNext(item);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            observer.OnError(e);
            return;
        }

        observer.OnCompleted();
    }
}
