using System.Text;

namespace ReactiveKv.Amqp;

/// <summary>
/// Encoded sizes of AMQP primitives, computed before writing so a frame's size can lead it without a second buffer;
/// the checks on what a field can hold live here for the same reason.
/// </summary>
internal static class AmqpSize
{
    public static int ShortString(string? value) => 1 + ShortStringBytes(value);

    public static int LongString(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    public static int LongString(byte[]? value) => 4 + (value?.Length ?? 0);

    public static int Table(IEnumerable<KeyValuePair<string, object?>>? table) => 4 + FieldCodec.TableContentSize(table, 1);

    public static int ShortStringBytes(string? value)
    {
        var length = value is null ? 0 : Encoding.UTF8.GetByteCount(value);
        if (length > byte.MaxValue && value is not null)
        {
            throw new ArgumentException($"An AMQP short string holds at most 255 bytes of UTF-8; \"{value[..Math.Min(value.Length, 40)]}…\" needs {length}.");
        }

        return length;
    }
}
