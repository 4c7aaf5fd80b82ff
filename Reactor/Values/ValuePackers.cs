using System.Text;
using System.Text.Json;

namespace ReactiveKv;

/// <summary>The stock packers: raw bytes, UTF-8 text and JSON (System.Text.Json).</summary>
public static class ValuePackers
{
    /// <summary>Bytes as they are.</summary>
    public static IValuePacker<byte[]> Bytes { get; } = new BytesPacker();

    /// <summary>Text as UTF-8.</summary>
    public static IValuePacker<string> Utf8 { get; } = new Utf8Packer();

    /// <summary>Values as UTF-8 JSON, with the given serializer options.</summary>
    public static IValuePacker<T> Json<T>(JsonSerializerOptions? options = null) => new JsonPacker<T>(options);

    private sealed class BytesPacker : IValuePacker<byte[]>
    {
        public byte[] Pack(byte[] value) => value;

        public byte[] Unpack(byte[] bytes) => bytes;
    }

    private sealed class Utf8Packer : IValuePacker<string>
    {
        public byte[] Pack(string value) => Encoding.UTF8.GetBytes(value);

        public string Unpack(byte[] bytes) => Encoding.UTF8.GetString(bytes);
    }

    private sealed class JsonPacker<T>(JsonSerializerOptions? options) : IValuePacker<T>
    {
        public byte[] Pack(T value) => JsonSerializer.SerializeToUtf8Bytes(value, options);

        public T Unpack(byte[] bytes) => JsonSerializer.Deserialize<T>(bytes, options)!;
    }
}
