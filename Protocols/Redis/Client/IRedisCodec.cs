namespace ReactiveKv.Redis;

/// <summary>Turns values of a user type into stored bytes and back (JSON, MessagePack, protobuf…).</summary>
/// <typeparam name="T">The user type.</typeparam>
public interface IRedisCodec<T>
{
    /// <summary>Encodes a value for storage.</summary>
    byte[] Encode(T value);

    /// <summary>Decodes stored bytes.</summary>
    T Decode(byte[] bytes);
}
