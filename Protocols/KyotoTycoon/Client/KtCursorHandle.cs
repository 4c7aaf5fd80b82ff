using System.Globalization;
using System.Reactive;
using System.Reactive.Linq;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// One server-side cursor of the client's connection, driven step by step with the cur_* procedures (for walking
/// a whole database, <see cref="KtClient.Cursor"/> is simpler). A 450 answer ("no record", "cursor at end") is
/// false or null; the cursor is deleted when disposed, and dies with the connection.
/// </summary>
public sealed class KtCursorHandle : IAsyncDisposable
{
    private readonly KtClient _client;
    private readonly byte[] _id;

    internal KtCursorHandle(KtClient client, long id)
    {
        _client = client;
        _id = Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>cur_jump</c>: to <paramref name="key"/> (tree: the first key at or after it) or the first record; false when there is none.</summary>
    public Deferred<bool> Jump(byte[]? key = null) => Found("cur_jump", key is null ? [] : [("key", key)]);

    /// <summary><c>cur_jump_back</c>: to the last key at or before <paramref name="key"/>, or the last record (tree databases only).</summary>
    public Deferred<bool> JumpBack(byte[]? key = null) => Found("cur_jump_back", key is null ? [] : [("key", key)]);

    /// <summary><c>cur_step</c>: to the next record; false at the end.</summary>
    public Deferred<bool> Step() => Found("cur_step", []);

    /// <summary><c>cur_step_back</c>: to the previous record (tree databases only); false at the start.</summary>
    public Deferred<bool> StepBack() => Found("cur_step_back", []);

    /// <summary><c>cur_set_value</c>: replaces the current record's value (and expiry); optionally steps after.</summary>
    public Deferred<bool> SetValue(byte[] value, bool step = false, KtExpiry expiry = default)
    {
        var input = new List<(string, byte[])> { ("value", value) };
        if (step)
        {
            input.Add(("step", []));
        }

        if (expiry.RpcValue is { } xt)
        {
            input.Add(("xt", Encoding.ASCII.GetBytes(xt)));
        }

        return Found("cur_set_value", input);
    }

    /// <summary><c>cur_remove</c>: removes the current record; the cursor moves to the next.</summary>
    public Deferred<bool> Remove() => Found("cur_remove", []);

    /// <summary><c>cur_get_key</c>: the current key, or null; optionally steps after.</summary>
    public Deferred<byte[]?> GetKey(bool step = false) => Read<byte[]>("cur_get_key", step, o => o.Bytes("key") ?? []);

    /// <summary><c>cur_get_value</c>: the current value, or null; optionally steps after.</summary>
    public Deferred<byte[]?> GetValue(bool step = false) => Read<byte[]>("cur_get_value", step, o => o.Bytes("value") ?? []);

    /// <summary><c>cur_get</c>: the current record, or null; optionally steps after.</summary>
    public Deferred<KtRecord?> Get(bool step = false) => Read("cur_get", step, o => new KtRecord(o.Bytes("key") ?? [], o.Bytes("value") ?? [], o.Expiry));

    /// <summary><c>cur_seize</c>: the current record, removed; the cursor moves to the next.</summary>
    public Deferred<KtRecord?> Seize() => Read("cur_seize", false, o => new KtRecord(o.Bytes("key") ?? [], o.Bytes("value") ?? [], o.Expiry));

    /// <summary><c>cur_delete</c>: frees the cursor.</summary>
    public async ValueTask DisposeAsync() => await _client.Call("cur_delete", [("CUR", _id)]);

    private Deferred<bool> Found(string procedure, IEnumerable<(string, byte[])> input) =>
        _client.Call(procedure, [("CUR", _id), .. input]).Then(reply => reply.Status switch
        {
            200 => true,
            450 => false,
            _ => throw KtClient.Failure(procedure, reply.Status, reply.Output),
        });

    private Deferred<T?> Read<T>(string procedure, bool step, Func<KtClient.ReplyView, T> read)
        where T : class =>
        _client.Call(procedure, step ? [("CUR", _id), ("step", [])] : [("CUR", _id)]).Then(reply => reply.Status switch
        {
            200 => read(new KtClient.ReplyView(reply.Output)),
            450 => null,
            _ => throw KtClient.Failure(procedure, reply.Status, reply.Output),
        });
}
