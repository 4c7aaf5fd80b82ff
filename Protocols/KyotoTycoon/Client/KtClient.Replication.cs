using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <summary>
    /// A hot stream of the master's update log from <paramref name="fromTimestamp"/> (0 = the oldest it keeps), as a
    /// slave with id <paramref name="serverId"/>: records of other servers (or, with <paramref name="whiteSid"/>,
    /// only of that id). It answers every keep-alive, reconnects after a drop from the last timestamp it saw (no
    /// record lost or repeated), and is shared by its subscribers; the last one to leave closes it.
    /// </summary>
    public IObservable<ReplicationRecord> Replicate(ulong fromTimestamp, ushort serverId, bool whiteSid = false) =>
        Observable.Create<ReplicationRecord>(observer => new ReplicationFeed(_reactor, Options, fromTimestamp, serverId, whiteSid, observer))
            .Publish()
            .RefCount()
            .ObserveOffLoop();
}
