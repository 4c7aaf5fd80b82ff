using System.Buffers;

namespace ReactiveKv.Keyspace;

/// <summary>One reply of the client protocol (spec §5). The client parses it; the embedded server builds it.</summary>
internal sealed class KeyspaceReply : IKeyspaceBody
{
    /// <summary>The reply letter.</summary>
    public KeyspaceReplyType Type { get; init; }

    /// <summary>The id of the request it answers.</summary>
    public ulong Id { get; init; }

    /// <summary>The key of an <c>i</c> or <c>j</c> item; null otherwise.</summary>
    public byte[]? Key { get; init; }

    /// <summary>The value of an <c>o</c> that carries one (possibly empty) or of a <c>j</c> item; null otherwise.</summary>
    public byte[]? Value { get; init; }

    /// <summary>Parses one reply body strictly; throws <see cref="ProtocolErrorException"/>.</summary>
    public static KeyspaceReply Parse(ReadOnlySequence<byte> body)
    {
        var reader = new KeyspaceBodyReader(body);
        var type = (KeyspaceReplyType)reader.ReadType();
        var reply = type switch
        {
            KeyspaceReplyType.Ok => new KeyspaceReply { Type = type, Id = reader.ReadId(), Value = reader.End ? null : reader.ReadBytes("value") },
            KeyspaceReplyType.Failed or KeyspaceReplyType.NotMaster or KeyspaceReplyType.ListEnd => new KeyspaceReply { Type = type, Id = reader.ReadId() },
            KeyspaceReplyType.ListItem => new KeyspaceReply { Type = type, Id = reader.ReadId(), Key = reader.ReadBytes("key") },
            KeyspaceReplyType.ListPairItem => new KeyspaceReply { Type = type, Id = reader.ReadId(), Key = reader.ReadBytes("key"), Value = reader.ReadBytes("value") },
            _ => throw KeyspaceBodyReader.Malformed($"unknown reply letter 0x{(byte)type:X2}"),
        };
        reader.ExpectEnd();
        return reply;
    }

    /// <inheritdoc />
    public void WriteBody(ref KeyspaceBodyWriter body)
    {
        body.Type((byte)Type);
        body.Id(Id);
        if (Key is not null)
        {
            body.String(Key);
        }

        if (Value is not null)
        {
            body.String(Value);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{(char)Type}:{Id}";
}
