namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <inheritdoc />
    public Deferred<long?> SetBulkBinary(IEnumerable<KeyValuePair<byte[], byte[]>> records, KtExpiry expiry = default, ushort db = 0, bool noReply = false, CancellationToken cancellationToken = default)
    {
        var list = records.Select(r => (db, r.Key, r.Value, expiry.BinaryValue)).ToList();
        return Binary(output => BinaryProtocol.WriteSetBulk(output, noReply, list), KtConnection.Kind.BinaryCount, BinaryProtocol.SetBulk, noReply, r => (long?)(long)r, cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<long?> RemoveBulkBinary(IEnumerable<byte[]> keys, ushort db = 0, bool noReply = false, CancellationToken cancellationToken = default)
    {
        var list = keys.Select(k => (db, k)).ToList();
        return Binary(output => BinaryProtocol.WriteKeys(output, BinaryProtocol.RemoveBulk, noReply, list), KtConnection.Kind.BinaryCount, BinaryProtocol.RemoveBulk, noReply, r => (long?)(long)r, cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<IReadOnlyList<KtRecord>> GetBulkBinary(IEnumerable<byte[]> keys, ushort db = 0, CancellationToken cancellationToken = default)
    {
        var list = keys.Select(k => (db, k)).ToList();
        return Binary(output => BinaryProtocol.WriteKeys(output, BinaryProtocol.GetBulk, false, list), KtConnection.Kind.BinaryGetBulk, BinaryProtocol.GetBulk, false,
            r => (IReadOnlyList<KtRecord>)[.. ((List<(ushort Db, byte[] Key, byte[] Value, long Xt)>)r).Select(h => new KtRecord(h.Key, h.Value, KtExpiry.AbsoluteToDate(h.Xt)))], cancellationToken);
    }

    private Deferred<T> Binary<T>(Action<System.Buffers.IBufferWriter<byte>> write, KtConnection.Kind kind, byte magic, bool noReply, Func<object, T> map, CancellationToken cancellationToken) =>
        SendBinary(write, kind, magic, noReply, cancellationToken).Then(reply => KtCall.IsNoReply(reply) ? default! : map(reply));
}
