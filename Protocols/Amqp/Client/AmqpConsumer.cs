using System.Reactive.Disposables;
using System.Reactive.Subjects;

namespace ReactiveKv.Amqp;

/// <summary>
/// A consumer on a queue as a hot, shared observable of deliveries: the first subscription starts it
/// (<c>basic.consume</c>), the last one to leave cancels it, every subscriber sees every delivery in order, off the
/// loop. The channel's prefetch (<see cref="AmqpChannel.Qos"/>) is the backpressure: the broker sends no more than
/// that many unacknowledged deliveries. It survives connection loss (recovery consumes again under the same tag); the
/// broker cancelling it (queue deleted) ends it with <see cref="AmqpConsumerCancelledException"/>.
/// </summary>
public sealed class AmqpConsumer : IObservable<AmqpDelivery>
{
    private readonly Subject<AmqpDelivery> _deliveries = new();
    private readonly IObservable<AmqpDelivery> _offLoop;
    private readonly Lock _gate = new();
    private int _subscribers;
    private bool _ended;

    internal AmqpConsumer(AmqpChannel channel, string queue, AmqpConsumeOptions options)
    {
        Channel = channel;
        Queue = queue;
        Options = options;
        Tag = options.Tag ?? $"rkv-{Guid.NewGuid():N}";
        _offLoop = _deliveries.ObserveOffLoop();
    }

    /// <summary>The channel it consumes on.</summary>
    public AmqpChannel Channel { get; }

    /// <summary>The queue it consumes from (a server-named queue's new name after recovery).</summary>
    public string Queue { get; internal set; }

    /// <summary>Its consumer tag, kept across recovery.</summary>
    public string Tag { get; }

    /// <summary>How it consumes.</summary>
    public AmqpConsumeOptions Options { get; }

    /// <summary>True while the broker has it (between consume-ok and its cancel).</summary>
    public bool IsActive { get; internal set; }

    /// <summary>Settled when the broker confirmed the consumer (consume-ok) after the first subscription.</summary>
    public Deferred<string> Started { get; } = new();

    /// <inheritdoc />
    public IDisposable Subscribe(IObserver<AmqpDelivery> observer) => Subscribe(_offLoop, observer);

    /// <summary>For the library's own short, non-blocking handlers (RPC replies): deliveries on the loop, no hop.</summary>
    internal IDisposable SubscribeOnLoop(IObserver<AmqpDelivery> observer) => Subscribe(_deliveries, observer);

    private IDisposable Subscribe(IObservable<AmqpDelivery> source, IObserver<AmqpDelivery> observer)
    {
        var subscription = source.Subscribe(observer);
        bool start;
        lock (_gate)
        {
            start = _subscribers++ == 0 && !_ended && !IsActive;
        }

        if (start)
        {
            Channel.StartConsumer(this);
        }

        return Disposable.Create(() =>
        {
            subscription.Dispose();
            bool stop;
            lock (_gate)
            {
                stop = --_subscribers == 0 && !_ended;
            }

            if (stop)
            {
                Channel.StopConsumer(this);
            }
        });
    }

    /// <summary>The deliveries as an async stream; a reader more than <paramref name="capacity"/> behind gets an error (keep prefetch below it).</summary>
    public IAsyncEnumerable<AmqpDelivery> ReadAllAsync(int capacity = 4096, CancellationToken cancellationToken = default) =>
        this.ToAsyncEnumerable(capacity, cancellationToken);

    /// <summary>Read on the loop for every delivery: a plain read, the count is only ever changed under the gate.</summary>
    internal bool HasSubscribers => Volatile.Read(ref _subscribers) > 0;

    internal void Deliver(AmqpDelivery delivery) => _deliveries.OnNext(delivery);

    internal void End(Exception? error)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
        }

        IsActive = false;
        Started.TryErrback(error ?? new ObjectDisposedException(nameof(AmqpConsumer)));
        if (error is null)
        {
            _deliveries.OnCompleted();
        }
        else
        {
            _deliveries.OnError(error);
        }
    }
}
