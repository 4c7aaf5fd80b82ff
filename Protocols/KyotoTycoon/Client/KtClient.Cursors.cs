using System.Reactive.Linq;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    private long _nextCursor;

    /// <summary>
    /// A cold stream of records walked with a server cursor: each subscription jumps a new cursor to
    /// <paramref name="startKey"/> (or the first record; the last with <paramref name="backward"/>, tree databases only),
    /// reads one record per round trip, and deletes the cursor when it completes or is disposed.
    /// </summary>
    public IObservable<KtRecord> Cursor(byte[]? startKey = null, bool backward = false) => Observable.Create<KtRecord>(async (observer, cancel) =>
    {
        var id = Encoding.ASCII.GetBytes(Interlocked.Increment(ref _nextCursor).ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var jump = await Call(backward ? "cur_jump_back" : "cur_jump", startKey is null ? [("CUR", id)] : [("CUR", id), ("key", startKey)]);
            if (jump.Status == 450)
            {
                return;
            }

            Expect("cur_jump", jump);
            while (!cancel.IsCancellationRequested)
            {
                var reply = await Call("cur_get", backward ? [("CUR", id)] : [("CUR", id), ("step", [])]);
                if (reply.Status == 450)
                {
                    return;
                }

                var output = new Output("cur_get", reply.Status, reply.Output);
                observer.OnNext(output.OrThrow(new KtRecord(output.Bytes("key")!, output.Bytes("value") ?? [], output.Expiry)));
                if (backward && (await Call("cur_step_back", [("CUR", id)])).Status == 450)
                {
                    return;
                }
            }
        }
        finally
        {
            // Fire and forget: the cursor dies with the connection anyway.
            Call("cur_delete", [("CUR", id)]).Subscribe(_ => { }, _ => { });
        }
    });

    private static void Expect(string procedure, (int Status, IReadOnlyList<(byte[] Name, byte[] Value)> Output) reply)
    {
        if (reply.Status != 200)
        {
            throw new Output(procedure, reply.Status, reply.Output).Error();
        }
    }
}
