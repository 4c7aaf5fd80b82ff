namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <inheritdoc />
    public Deferred<T?> Get<T>(byte[] key, IValuePacker<T> packer, CancellationToken cancellationToken = default) =>
        Get(key, cancellationToken).Then(record => record is null ? default : packer.Unpack(record.Value));

    /// <inheritdoc />
    public Deferred<System.Reactive.Unit> Set<T>(byte[] key, T value, IValuePacker<T> packer, KtExpiry expiry = default, CancellationToken cancellationToken = default) =>
        Set(key, packer.Pack(value), expiry, cancellationToken);
}
