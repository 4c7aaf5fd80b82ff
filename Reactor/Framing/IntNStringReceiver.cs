using System.Buffers;
using System.Buffers.Binary;

namespace ReactiveKv;

/// <summary>
/// Length-prefixed messages (Twisted's <c>IntNStringReceiver</c>): a big-endian unsigned prefix of
/// <see cref="PrefixLength"/> bytes, then that many bytes. Messages are handed out without copying.
/// </summary>
public abstract class IntNStringReceiver : Protocol
{
    /// <summary>Creates a receiver with a prefix of 1, 2 or 4 bytes.</summary>
    protected IntNStringReceiver(int prefixLength)
    {
        if (prefixLength is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), "The prefix is 1, 2 or 4 bytes.");
        }

        PrefixLength = prefixLength;
        MaxLength = (int)Math.Min(99999, MaxPrefixValue);
    }

    /// <summary>Bytes in the length prefix.</summary>
    public int PrefixLength { get; }

    /// <summary>Largest message accepted (Twisted's default 99999, capped by the prefix).</summary>
    public int MaxLength { get; set; }

    private long MaxPrefixValue => PrefixLength == 4 ? uint.MaxValue : (1L << (8 * PrefixLength)) - 1;

    /// <summary>Sends <paramref name="message"/> with its length prefix.</summary>
    /// <exception cref="ArgumentException">The message does not fit the prefix.</exception>
    public void SendString(ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxPrefixValue)
        {
            throw new ArgumentException($"A {message.Length}-byte message does not fit a {PrefixLength}-byte length prefix.", nameof(message));
        }

        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)message.Length);
        Transport.Write(prefix[(4 - PrefixLength)..]);
        Transport.Write(message);
    }

    /// <inheritdoc />
    public sealed override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var buffer = data;
        while (buffer.Length >= PrefixLength && Connected && !Transport.Disconnecting)
        {
            var length = ReadPrefix(buffer);
            if (length > MaxLength)
            {
                LengthLimitExceeded(length);
                return data.End;
            }

            if (buffer.Length < PrefixLength + length)
            {
                break;
            }

            StringReceived(buffer.Slice(PrefixLength, length));
            buffer = buffer.Slice(PrefixLength + length);
        }

        return buffer.Start;
    }

    /// <summary>A complete message arrived. The memory is only valid during the call.</summary>
    protected abstract void StringReceived(in ReadOnlySequence<byte> message);

    /// <summary>A prefix announced more than <see cref="MaxLength"/>; by default the connection is aborted, as in Twisted.</summary>
    protected virtual void LengthLimitExceeded(long length) => Transport.AbortConnection();

    private long ReadPrefix(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[4];
        prefix.Clear();
        buffer.Slice(0, PrefixLength).CopyTo(prefix[(4 - PrefixLength)..]);
        return BinaryPrimitives.ReadUInt32BigEndian(prefix);
    }
}
