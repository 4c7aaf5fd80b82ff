using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace ReactiveKv.Redis;

/// <summary>
/// A complete reply as a view over the connection's receive buffer: no copy is made until a processor turns it into
/// a result. Only valid during the DataReceived call that produced it.
/// </summary>
internal readonly struct RawReply
{
    public RawReply(RespType type, ReadOnlySequence<byte> payload, long count)
    {
        Type = type;
        Payload = payload;
        Count = count;
    }

    public RespType Type { get; }

    /// <summary>Content bytes of a scalar, or the encoded children of an aggregate.</summary>
    public ReadOnlySequence<byte> Payload { get; }

    /// <summary>Number of children of an aggregate (pairs count twice for maps); -1 for a RESP2 null.</summary>
    public long Count { get; }

    public bool IsNull => Type == RespType.Null || Count < 0;

    public bool IsError => Type is RespType.Error or RespType.BlobError;

    public bool IsAggregate => Type is RespType.Array or RespType.Map or RespType.Set or RespType.Push;

    public string Text() => Type == RespType.VerbatimString && Payload.Length >= 4
        ? Encoding.UTF8.GetString(Payload.Slice(4))
        : Encoding.UTF8.GetString(Payload);

    public byte[] Bytes() => Payload.ToArray();

    public bool TryInteger(out long value)
    {
        if (Type is RespType.Integer or RespType.BulkString or RespType.SimpleString or RespType.BigNumber && !IsNull)
        {
            return TryParse(Payload, out value);
        }

        value = 0;
        return false;
    }

    public bool TryDouble(out double value)
    {
        value = 0;
        if (IsNull || IsAggregate)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[64];
        if (Payload.Length > buffer.Length)
        {
            return false;
        }

        Payload.CopyTo(buffer);
        var text = buffer[..(int)Payload.Length];
        if (Utf8Parser.TryParse(text, out value, out var used) && used == text.Length)
        {
            return true;
        }

        var s = Encoding.ASCII.GetString(text);
        switch (s)
        {
            case "inf" or "+inf" or "Infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-Infinity":
                value = double.NegativeInfinity;
                return true;
            case "nan" or "NaN":
                value = double.NaN;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The children of an aggregate, decoded lazily from the payload.</summary>
    public ChildEnumerator Children() => new(this);

    internal static bool TryParse(in ReadOnlySequence<byte> digits, out long value)
    {
        Span<byte> buffer = stackalloc byte[24];
        if (digits.Length is 0 or > 24)
        {
            value = 0;
            return false;
        }

        digits.CopyTo(buffer);
        var text = buffer[..(int)digits.Length];
        return Utf8Parser.TryParse(text, out value, out var used) && used == text.Length;
    }

    /// <summary>Walks the children of an aggregate reply (already known to be complete).</summary>
    internal struct ChildEnumerator
    {
        private readonly long _count;
        private ReadOnlySequence<byte> _rest;
        private long _index;

        public ChildEnumerator(RawReply parent)
        {
            _rest = parent.Payload;
            _count = parent.IsAggregate && parent.Count > 0 ? parent.Count : 0;
            _index = 0;
            Current = default;
        }

        public RawReply Current { get; private set; }

        public readonly ChildEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_index >= _count)
            {
                return false;
            }

            var reader = new SequenceReader<byte>(_rest);
            if (!RespReader.TryRead(ref reader, RespLimits.Unlimited, out var child))
            {
                throw new ReactiveKv.ProtocolErrorException("An aggregate reply ended before its last element.");
            }

            Current = child;
            _rest = _rest.Slice(reader.Position);
            _index++;
            return true;
        }
    }
}
