using System.Reactive;
using System.Reactive.Linq;

namespace ReactiveKv.Keyspace;

public sealed partial class KeyspaceClient
{
    /// <inheritdoc />
    public Deferred<T?> Get<T>(byte[] key, IValuePacker<T> packer, CancellationToken cancellationToken = default) => Get(key, cancellationToken).Then(value => Unpack(value, packer));

    /// <inheritdoc />
    public Deferred<T?> Get<T>(string key, IValuePacker<T> packer, CancellationToken cancellationToken = default) => Get(Utf8(key), packer, cancellationToken);

    /// <inheritdoc />
    public Deferred<T?> DirtyGet<T>(byte[] key, IValuePacker<T> packer, CancellationToken cancellationToken = default) => DirtyGet(key, cancellationToken).Then(value => Unpack(value, packer));

    /// <inheritdoc />
    public Deferred<Unit> Set<T>(byte[] key, T value, IValuePacker<T> packer, CancellationToken cancellationToken = default) => Set(key, packer.Pack(value), cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Set<T>(string key, T value, IValuePacker<T> packer, CancellationToken cancellationToken = default) => Set(Utf8(key), packer.Pack(value), cancellationToken);

    /// <inheritdoc />
    public Deferred<bool> TestAndSet<T>(byte[] key, T test, T value, IValuePacker<T> packer, CancellationToken cancellationToken = default) =>
        TestAndSet(key, packer.Pack(test), packer.Pack(value), cancellationToken).Then(result => result.Swapped);

    /// <inheritdoc />
    public Deferred<T?> Remove<T>(byte[] key, IValuePacker<T> packer, CancellationToken cancellationToken = default) => Remove(key, cancellationToken).Then(value => Unpack(value, packer));

    /// <inheritdoc />
    public IObservable<KeyValuePair<byte[], T>> ListKeyValues<T>(IValuePacker<T> packer, KeyspaceRange? range = null) =>
        ListKeyValues(range).Select(pair => new KeyValuePair<byte[], T>(pair.Key, packer.Unpack(pair.Value)));

    private static T? Unpack<T>(byte[]? value, IValuePacker<T> packer) => value is null ? default : packer.Unpack(value);
}
