namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <summary><c>get</c> through a packer: the unpacked value, or default when the record is missing.</summary>
    public Deferred<T?> Get<T>(byte[] key, IValuePacker<T> packer) =>
        Get(key).Then(record => record is null ? default : packer.Unpack(record.Value));

    /// <summary><c>set</c> through a packer.</summary>
    public Deferred<System.Reactive.Unit> Set<T>(byte[] key, T value, IValuePacker<T> packer, KtExpiry expiry = default) =>
        Set(key, packer.Pack(value), expiry);
}
