namespace ReactiveKv.Amqp;

/// <summary>
/// A field-table long string ('S') whose bytes are not valid UTF-8. Tables decode 'S' to <see cref="string"/> when
/// the bytes are UTF-8 (as every RabbitMQ header and nearly every client's are) and to this otherwise, so nothing
/// is lost and it encodes back as 'S' byte for byte. Binary data meant as binary is better sent as a
/// <see cref="byte"/> array, which encodes as 'x'.
/// </summary>
public sealed class AmqpLongString : IEquatable<AmqpLongString>
{
    private readonly byte[] _bytes;

    /// <summary>Wraps the bytes (not copied: do not change them afterwards).</summary>
    public AmqpLongString(byte[] bytes) => _bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));

    /// <summary>The string's bytes as sent.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <inheritdoc />
    public bool Equals(AmqpLongString? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AmqpLongString);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>The bytes in hex, since they are not text.</summary>
    public override string ToString() => Convert.ToHexString(_bytes);
}
