namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <summary>
    /// Binary <c>set_bulk</c> (0xB8) on database index <paramref name="db"/>: fires with how many were stored, or
    /// with null at once when <paramref name="noReply"/> (nothing comes back; errors go unseen, as the protocol has it).
    /// </summary>
    public Deferred<long?> SetBulkBinary(IEnumerable<KeyValuePair<byte[], byte[]>> records, KtExpiry expiry = default, ushort db = 0, bool noReply = false)
    {
        var list = records.Select(r => (db, r.Key, r.Value, expiry.BinaryValue)).ToList();
        return Binary(output => BinaryProtocol.WriteSetBulk(output, noReply, list), KtConnection.Kind.BinaryCount, BinaryProtocol.SetBulk, noReply, r => (long?)(long)r);
    }

    /// <summary>Binary <c>remove_bulk</c> (0xB9): how many existed and were removed; null at once with <paramref name="noReply"/>.</summary>
    public Deferred<long?> RemoveBulkBinary(IEnumerable<byte[]> keys, ushort db = 0, bool noReply = false)
    {
        var list = keys.Select(k => (db, k)).ToList();
        return Binary(output => BinaryProtocol.WriteKeys(output, BinaryProtocol.RemoveBulk, noReply, list), KtConnection.Kind.BinaryCount, BinaryProtocol.RemoveBulk, noReply, r => (long?)(long)r);
    }

    /// <summary>Binary <c>get_bulk</c> (0xBA): hits in request order, with their expiry; misses are left out.</summary>
    public Deferred<IReadOnlyList<KtRecord>> GetBulkBinary(IEnumerable<byte[]> keys, ushort db = 0)
    {
        var list = keys.Select(k => (db, k)).ToList();
        return Binary(output => BinaryProtocol.WriteKeys(output, BinaryProtocol.GetBulk, false, list), KtConnection.Kind.BinaryGetBulk, BinaryProtocol.GetBulk, false,
            r => (IReadOnlyList<KtRecord>)[.. ((List<(ushort Db, byte[] Key, byte[] Value, long Xt)>)r).Select(h => new KtRecord(h.Key, h.Value, KtExpiry.AbsoluteToDate(h.Xt)))]);
    }

    private Deferred<T> Binary<T>(Action<System.Buffers.IBufferWriter<byte>> write, KtConnection.Kind kind, byte magic, bool noReply, Func<object, T> map) =>
        SendBinary(write, kind, magic, noReply).Then(reply => KtCall.IsNoReply(reply) ? default! : map(reply));
}
