using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace ReactiveKv.Redis;

/// <summary>
/// SSUBSCRIBE in a Redis Cluster: each shard channel is subscribed on the node that owns its hash slot, through one
/// subscriber connection per node. When the slot moves (the node drops the subscription, refuses it with MOVED, or
/// the map read after a failover names another owner) the channel is subscribed again on the new owner and its
/// stream gets a <see cref="RedisMessageKind.Gap"/> notice: messages published in between are lost.
/// </summary>
internal sealed class ClusterShardedSubscriber : IAsyncDisposable
{
    private readonly Reactor _reactor;
    private readonly RedisClusterRouter _router;
    private readonly Dictionary<string, RedisSubscriber> _subscribers = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public ClusterShardedSubscriber(Reactor reactor, RedisClusterRouter router)
    {
        _reactor = reactor;
        _router = router;
    }

    public IObservable<RedisMessage> Subscribe(IReadOnlyList<string> channels)
    {
        if (channels.Count == 0)
        {
            throw new ArgumentException("Name at least one channel.", nameof(channels));
        }

        return channels.Select(Channel).Merge();
    }

    public async ValueTask DisposeAsync()
    {
        RedisSubscriber[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers.Values];
            _subscribers.Clear();
        }

        foreach (var subscriber in subscribers)
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IObservable<RedisMessage> Channel(string name) => Observable.Create<RedisMessage>(observer =>
    {
        var slot = HashSlot.Of(name);
        var binding = new SerialDisposable();
        var gate = new object();
        string? boundTo = null;
        var stopped = false;

        void Bind(bool moved)
        {
            lock (gate)
            {
                if (stopped)
                {
                    return;
                }

                var owner = _router.OwnerEndpoint(slot);
                if (owner == boundTo)
                {
                    return;
                }

                boundTo = owner;
                if (moved)
                {
                    observer.OnNext(new RedisMessage(RedisMessageKind.Gap, name, null, []));
                }

                binding.Disposable = SubscriberFor(owner).Subscribe(RedisSubscriber.Family.Shard, [name]).Subscribe(
                    message =>
                    {
                        if (message.Kind == RedisMessageKind.SlotMoved)
                        {
                            _ = _router.RefreshAsync().ContinueWith(_ => Bind(moved: true), TaskScheduler.Default);
                            return;
                        }

                        observer.OnNext(message);
                    },
                    observer.OnError);
            }
        }

        void MapChanged() => Bind(moved: true);

        Bind(moved: false);
        _router.MapChanged += MapChanged;
        return Disposable.Create(() =>
        {
            _router.MapChanged -= MapChanged;
            lock (gate)
            {
                stopped = true;
                binding.Dispose();
            }
        });
    });

    private RedisSubscriber SubscriberFor(string endpoint)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(endpoint, out var subscriber))
            {
                _subscribers[endpoint] = subscriber = new RedisSubscriber(_reactor, _router.NodeOptions(endpoint));
            }

            return subscriber;
        }
    }
}
