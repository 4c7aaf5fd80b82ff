using System.Globalization;
using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>
/// What one node has applied of the replicated log: its table, its expiry overlay (key → due Unix milliseconds,
/// the server's <c>!!k:</c>/<c>!!t:</c> keys kept apart so lists need not skip them) and the last round applied.
/// Every node applies the same writes in the same order, so the master's reply is every node's.
/// </summary>
internal sealed class NodeState
{
    public NodeState()
    {
    }

    private NodeState(NodeState other)
    {
        Data = other.Data.Clone();
        Expiries = new Dictionary<byte[], long>(other.Expiries, ByteArrayComparer.Instance);
        Round = other.Round;
    }

    public OrderedStore Data { get; } = new();

    public Dictionary<byte[], long> Expiries { get; } = new(ByteArrayComparer.Instance);

    /// <summary>Rounds applied; a lagging node has fewer.</summary>
    public long Round { get; set; }

    /// <summary>A catch-up copy for a node that missed rounds.</summary>
    public NodeState Clone() => new(this);

    /// <summary>Runs one write of §7 and returns its reply.</summary>
    public ServerReply Apply(KeyspaceRequest write, long dueMilliseconds)
    {
        var id = write.Id;
        switch (write.Letter)
        {
            case (byte)'s':
                Data.Set(write.Key, write.Value);
                return ServerReply.Ok(id);
            case (byte)'t':
                return TestAndSet(write);
            case (byte)'a':
                return Add(write);
            case (byte)'e':
                return Data.Delete(write.Key) is { } moved ? Renamed(write, moved) : ServerReply.Failed(id);
            case (byte)'d':
                return Data.Delete(write.Key) is null ? ServerReply.Failed(id) : ServerReply.Ok(id);
            case (byte)'r':
                return Data.Delete(write.Key) is { } old ? ServerReply.Ok(id, old) : ServerReply.Failed(id);
            case (byte)'z':
                Data.DeleteWhere(k => k.AsSpan().StartsWith(write.Prefix) && !ListWalker.IsReserved(k));
                return ServerReply.Ok(id);
            case (byte)'x':
                Expiries[write.Key] = dueMilliseconds;
                return ServerReply.Ok(id);
            case (byte)'X':
                Expiries.Remove(write.Key);
                return ServerReply.Ok(id);
            case (byte)'w':
                Expiries.Clear();
                return ServerReply.Ok(id);
            default:
                throw new ArgumentException($"'{(char)write.Letter}' is not a write.", nameof(write));
        }
    }

    /// <summary>The master's expire command: deletes whatever is stored under the key now, and forgets the expiry.</summary>
    public void Expire(byte[] key)
    {
        Expiries.Remove(key);
        Data.Delete(key);
    }

    private ServerReply Renamed(KeyspaceRequest write, byte[] value)
    {
        Data.Set(write.Value, value);
        return ServerReply.Ok(write.Id);
    }

    // A mismatch is OK with the value still stored, not FAILED (§7.2, §12 item 4).
    private ServerReply TestAndSet(KeyspaceRequest write)
    {
        var current = Data.Get(write.Key);
        if (current is null)
        {
            return ServerReply.Failed(write.Id);
        }

        if (!current.AsSpan().SequenceEqual(write.Test))
        {
            return ServerReply.Ok(write.Id, current);
        }

        Data.Set(write.Key, write.Value);
        return ServerReply.Ok(write.Id, write.Value);
    }

    private ServerReply Add(KeyspaceRequest write)
    {
        if (Data.Get(write.Key) is not { } current || !TryParseNumber(current, out var number))
        {
            return ServerReply.Failed(write.Id);
        }

        var sum = unchecked(number + write.Delta);
        var text = Encoding.ASCII.GetBytes(sum.ToString(CultureInfo.InvariantCulture));
        Data.Set(write.Key, text);
        return ServerReply.Ok(write.Id, text);
    }

    /// <summary>
    /// The whole value as an optional <c>-</c> and decimal digits (empty is 0), read with the server's
    /// two's-complement wrap; anything else is not a number.
    /// </summary>
    internal static bool TryParseNumber(ReadOnlySpan<byte> text, out long number)
    {
        number = 0;
        var negative = text.Length > 0 && text[0] == '-';
        var digits = negative ? text[1..] : text;
        if (negative && digits.IsEmpty)
        {
            return false;
        }

        ulong value = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = unchecked((value * 10) + (ulong)(b - '0'));
        }

        number = unchecked(negative ? -(long)value : (long)value);
        return true;
    }
}
