using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace ReactiveKv.Redis;

/// <summary>
/// Pub/sub on its own connection. Every subscriber of a channel shares one server subscription (reference counted:
/// the first subscriber sends SUBSCRIBE, the last disposal UNSUBSCRIBE). After a reconnect every live subscription
/// is sent again and each stream gets a <see cref="RedisMessageKind.Gap"/> notice. All state lives on the loop.
/// </summary>
internal sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly RedisMultiplexer _connection;
    private readonly Dictionary<(Family, string), Channel> _channels = [];

    public RedisSubscriber(Reactor reactor, RedisOptions options, SentinelResolver? sentinel = null)
    {
        _connection = new RedisMultiplexer(reactor, options, subscriber: true, sentinel: sentinel);
        _connection.PushReceived = OnPush;
        _connection.Ready = first =>
        {
            foreach (var ((family, name), channel) in _channels)
            {
                channel.Confirmed = false;
                Send(family, true, name);
                if (!first)
                {
                    channel.Subject.OnNext(new RedisMessage(RedisMessageKind.Gap, name, null, []));
                }
            }

            if (!first && _channels.Count > 0)
            {
                options.Monitor?.Publish(ClientConnectionEventKind.Resubscribed, options.Describe(), detail: $"{_channels.Count} subscription(s)");
            }
        };
    }

    internal enum Family
    {
        Channel,
        Pattern,
        Shard,
    }

    public IObservable<RedisMessage> Subscribe(Family family, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            throw new ArgumentException("Name at least one channel.", nameof(names));
        }

        return Observable.Create<RedisMessage>(observer =>
        {
            var subscriptions = new CompositeDisposable();
            _connection.Loop.Execute(() =>
            {
                foreach (var name in names)
                {
                    subscriptions.Add(Attach(family, name, observer));
                }
            });
            return Disposable.Create(() => _connection.Loop.Execute(subscriptions.Dispose));
        }).ObserveOffLoop();
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private IDisposable Attach(Family family, string name, IObserver<RedisMessage> observer)
    {
        if (!_channels.TryGetValue((family, name), out var channel))
        {
            channel = new Channel();
            _channels[(family, name)] = channel;
            Send(family, true, name);
        }

        channel.Count++;
        var inner = channel.Subject.Subscribe(observer);
        if (channel.Confirmed)
        {
            observer.OnNext(new RedisMessage(RedisMessageKind.Subscribed, name, null, []));
        }

        return Disposable.Create(() =>
        {
            inner.Dispose();
            if (--channel.Count == 0)
            {
                _channels.Remove((family, name));
                Send(family, false, name);
            }
        });
    }

    private void Send(Family family, bool subscribe, string name)
    {
        var verb = (family, subscribe) switch
        {
            (Family.Channel, true) => "SUBSCRIBE",
            (Family.Channel, false) => "UNSUBSCRIBE",
            (Family.Pattern, true) => "PSUBSCRIBE",
            (Family.Pattern, false) => "PUNSUBSCRIBE",
            (Family.Shard, true) => "SSUBSCRIBE",
            _ => "SUNSUBSCRIBE",
        };
        _connection.SendNoReply(new RedisCommand<bool>(verb, -1, [name], Replies.Boolean) { NoReply = true });
    }

    private void OnPush(in RawReply push)
    {
        if (push.IsError)
        {
            Refused(push.Text());
            return;
        }

        var parts = Replies.Strings(push);
        if (parts.Length < 3)
        {
            return;
        }

        switch (parts[0])
        {
            case "message" or "smessage":
                Deliver(parts[0] == "message" ? Family.Channel : Family.Shard, parts[1]!, new RedisMessage(RedisMessageKind.Message, parts[1]!, null, Payload(push, 2)));
                break;
            case "pmessage" when parts.Length >= 4:
                Deliver(Family.Pattern, parts[1]!, new RedisMessage(RedisMessageKind.Message, parts[2]!, parts[1], Payload(push, 3)));
                break;
            case "sunsubscribe" when _channels.ContainsKey((Family.Shard, parts[1]!)):
                // Nobody here asked: the server dropped the subscription because the channel's slot left this node.
                Deliver(Family.Shard, parts[1]!, new RedisMessage(RedisMessageKind.SlotMoved, parts[1]!, null, []));
                break;
            case "subscribe" or "psubscribe" or "ssubscribe":
                var family = parts[0] == "subscribe" ? Family.Channel : parts[0] == "psubscribe" ? Family.Pattern : Family.Shard;
                if (_channels.TryGetValue((family, parts[1]!), out var channel))
                {
                    channel.Confirmed = true;
                    channel.Subject.OnNext(new RedisMessage(RedisMessageKind.Subscribed, parts[1]!, null, []));
                }

                break;
        }
    }

    private void Refused(string error)
    {
        // "MOVED <slot> <host:port>" for an SSUBSCRIBE: every shard channel of that slot must go to the new owner.
        var redirect = ClusterRedirect.Parse(error);
        if (redirect.Kind != ClusterRedirectKind.Moved)
        {
            return;
        }

        foreach (var ((family, name), channel) in _channels.ToArray())
        {
            if (family == Family.Shard && HashSlot.Of(name) == redirect.Slot)
            {
                channel.Subject.OnNext(new RedisMessage(RedisMessageKind.SlotMoved, name, null, []));
            }
        }
    }

    private void Deliver(Family family, string key, RedisMessage message)
    {
        if (_channels.TryGetValue((family, key), out var channel))
        {
            channel.Subject.OnNext(message);
        }
    }

    private static byte[] Payload(in RawReply push, int index)
    {
        var i = 0;
        foreach (var child in push.Children())
        {
            if (i++ == index)
            {
                return child.Bytes();
            }
        }

        return [];
    }

    private sealed class Channel
    {
        public Subject<RedisMessage> Subject { get; } = new();

        public int Count { get; set; }

        public bool Confirmed { get; set; }
    }
}
