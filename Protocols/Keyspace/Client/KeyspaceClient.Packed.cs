using System.Reactive;
using System.Reactive.Linq;

namespace ReactiveKv.Keyspace;

public sealed partial class KeyspaceClient
{
    /// <summary>The value of <paramref name="key"/> read on the master, unpacked; default when missing.</summary>
    public Deferred<T?> Get<T>(byte[] key, IValuePacker<T> packer) => Get(key).Then(value => Unpack(value, packer));

    /// <summary>The value of <paramref name="key"/> (UTF-8) read on the master, unpacked; default when missing.</summary>
    public Deferred<T?> Get<T>(string key, IValuePacker<T> packer) => Get(Utf8(key), packer);

    /// <summary>The value of <paramref name="key"/> read on any connected node, unpacked; default when missing.</summary>
    public Deferred<T?> DirtyGet<T>(byte[] key, IValuePacker<T> packer) => DirtyGet(key).Then(value => Unpack(value, packer));

    /// <summary>Stores <paramref name="value"/> packed by <paramref name="packer"/>.</summary>
    public Deferred<Unit> Set<T>(byte[] key, T value, IValuePacker<T> packer) => Set(key, packer.Pack(value));

    /// <summary>Stores <paramref name="value"/> packed by <paramref name="packer"/> under a UTF-8 key.</summary>
    public Deferred<Unit> Set<T>(string key, T value, IValuePacker<T> packer) => Set(Utf8(key), packer.Pack(value));

    /// <summary>Test-and-set on packed values: swapped when the stored bytes now equal the packed new value.</summary>
    public Deferred<bool> TestAndSet<T>(byte[] key, T test, T value, IValuePacker<T> packer) =>
        TestAndSet(key, packer.Pack(test), packer.Pack(value)).Then(result => result.Swapped);

    /// <summary>Removes <paramref name="key"/> and returns its old value unpacked; default when it was missing.</summary>
    public Deferred<T?> Remove<T>(byte[] key, IValuePacker<T> packer) => Remove(key).Then(value => Unpack(value, packer));

    /// <summary>The keys and unpacked values of <paramref name="range"/>, read on the master; cold.</summary>
    public IObservable<KeyValuePair<byte[], T>> ListKeyValues<T>(IValuePacker<T> packer, KeyspaceRange? range = null) =>
        ListKeyValues(range).Select(pair => new KeyValuePair<byte[], T>(pair.Key, packer.Unpack(pair.Value)));

    private static T? Unpack<T>(byte[]? value, IValuePacker<T> packer) => value is null ? default : packer.Unpack(value);
}
