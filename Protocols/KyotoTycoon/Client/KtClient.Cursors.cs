using System.Reactive.Linq;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    private long _nextCursor;

    /// <inheritdoc />
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

    /// <inheritdoc />
    public KtCursorHandle OpenCursor() => new(this, Interlocked.Increment(ref _nextCursor));

    /// <summary>The error for a failed reply, with the server's ERROR text.</summary>
    internal static KtException Failure(string procedure, int status, IReadOnlyList<(byte[] Name, byte[] Value)> output) =>
        new Output(procedure, status, output).Error();

    /// <summary>Read access to a reply's output map, for the cursor handle.</summary>
    internal readonly struct ReplyView(IReadOnlyList<(byte[] Name, byte[] Value)> output)
    {
        public byte[]? Bytes(string name) => new Output("", 200, output).Bytes(name);

        public DateTimeOffset? Expiry => new Output("", 200, output).Expiry;
    }

    private static void Expect(string procedure, (int Status, IReadOnlyList<(byte[] Name, byte[] Value)> Output) reply)
    {
        if (reply.Status != 200)
        {
            throw new Output(procedure, reply.Status, reply.Output).Error();
        }
    }
}
