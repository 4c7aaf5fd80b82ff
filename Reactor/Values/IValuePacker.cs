namespace ReactiveKv;

/// <summary>Turns typed values into stored bytes and back (python-kyototycoon's packers).</summary>
/// <typeparam name="T">The value type.</typeparam>
public interface IValuePacker<T>
{
    /// <summary>The bytes stored for <paramref name="value"/>.</summary>
    byte[] Pack(T value);

    /// <summary>The value stored as <paramref name="bytes"/>.</summary>
    T Unpack(byte[] bytes);
}
