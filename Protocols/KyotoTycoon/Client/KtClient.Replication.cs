using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <inheritdoc />
    public IObservable<ReplicationRecord> Replicate(ulong fromTimestamp, ushort serverId, bool whiteSid = false) =>
        Observable.Create<ReplicationRecord>(observer => new ReplicationFeed(_reactor, Options, fromTimestamp, serverId, whiteSid, observer))
            .Publish()
            .RefCount()
            .ObserveOffLoop();
}
