using System.Buffers;

namespace ReactiveKv.Keyspace;

/// <summary>
/// One request of the client protocol (spec §4) with the fields its letter uses; the others keep their defaults.
/// The client builds it, the embedded server parses it from a frame body.
/// </summary>
internal sealed class KeyspaceRequest : IKeyspaceBody
{
    /// <summary>The submit request; it has no id and gets no reply.</summary>
    public static readonly KeyspaceRequest Submit = new() { Command = KeyspaceCommand.Submit };

    /// <summary>The request letter.</summary>
    public KeyspaceCommand Command { get; init; }

    /// <summary>The command id the server echoes; the client may change it before a resend.</summary>
    public ulong Id { get; set; }

    /// <summary>The key; the prefix of lists, counts and prune; the source of rename.</summary>
    public byte[] Key { get; init; } = [];

    /// <summary>The value of set and test-and-set; the target of rename.</summary>
    public byte[] Value { get; init; } = [];

    /// <summary>The test value of test-and-set.</summary>
    public byte[] Test { get; init; } = [];

    /// <summary>The start key of lists and counts, relative to the prefix (§7.6).</summary>
    public byte[] StartKey { get; init; } = [];

    /// <summary>The count limit of lists and counts; 0 means none.</summary>
    public ulong Count { get; init; }

    /// <summary>How many visited keys lists and counts skip first.</summary>
    public ulong Offset { get; init; }

    /// <summary>True for a backward list or count.</summary>
    public bool Backward { get; init; }

    /// <summary>The delta of add.</summary>
    public long Delta { get; init; }

    /// <summary>The seconds of set-expiry.</summary>
    public ulong Seconds { get; init; }

    /// <summary>The request letter as a byte.</summary>
    public byte Letter => (byte)Command;

    /// <summary>True for the requests whose key is a prefix: lists, counts and prune.</summary>
    public bool IsRanged => IsList(Command) || Command is KeyspaceCommand.Count or KeyspaceCommand.DirtyCount or KeyspaceCommand.Prune;

    /// <summary>The prefix of lists, counts and prune (their <see cref="Key"/>); empty for the others.</summary>
    public byte[] Prefix => IsRanged ? Key : [];

    /// <summary>True for reads only the master answers.</summary>
    public bool IsSafeRead => IsMasterOnly(Command) && !IsWrite(Command);

    /// <summary>True for reads any node answers from its own store.</summary>
    public bool IsDirtyRead => Command is KeyspaceCommand.DirtyGet or KeyspaceCommand.DirtyListKeys or KeyspaceCommand.DirtyListKeyValues or KeyspaceCommand.DirtyCount;

    /// <summary>Bytes a write adds to a replicated round (a round closes itself near 500 000, §6).</summary>
    public int Size => 16 + Key.Length + Value.Length + Test.Length;

    /// <summary>Parses one request body as strictly as the server (§3); throws <see cref="ProtocolErrorException"/>.</summary>
    public static KeyspaceRequest Parse(ReadOnlySequence<byte> body)
    {
        var reader = new KeyspaceBodyReader(body);
        var command = (KeyspaceCommand)reader.ReadType();
        if (command == KeyspaceCommand.Submit)
        {
            reader.ExpectEnd();
            return Submit;
        }

        var request = command switch
        {
            KeyspaceCommand.GetMaster or KeyspaceCommand.ClearExpiries => new KeyspaceRequest { Command = command, Id = reader.ReadId() },
            KeyspaceCommand.Get or KeyspaceCommand.DirtyGet or KeyspaceCommand.Delete or KeyspaceCommand.Remove
                or KeyspaceCommand.RemoveExpiry or KeyspaceCommand.Prune => WithKey(ref reader, command),
            KeyspaceCommand.ListKeys or KeyspaceCommand.DirtyListKeys or KeyspaceCommand.ListKeyValues
                or KeyspaceCommand.DirtyListKeyValues or KeyspaceCommand.Count or KeyspaceCommand.DirtyCount => Range(ref reader, command),
            KeyspaceCommand.Set or KeyspaceCommand.Rename => new KeyspaceRequest
            {
                Command = command, Id = reader.ReadId(), Key = reader.ReadBytes("key"), Value = reader.ReadBytes("value"),
            },
            KeyspaceCommand.TestAndSet => new KeyspaceRequest
            {
                Command = command, Id = reader.ReadId(), Key = reader.ReadBytes("key"), Test = reader.ReadBytes("test value"), Value = reader.ReadBytes("value"),
            },
            KeyspaceCommand.Add => new KeyspaceRequest { Command = command, Id = reader.ReadId(), Key = reader.ReadBytes("key"), Delta = reader.ReadSigned("delta") },
            KeyspaceCommand.SetExpiry => new KeyspaceRequest { Command = command, Id = reader.ReadId(), Key = reader.ReadBytes("key"), Seconds = reader.ReadUnsigned("seconds") },
            _ => throw KeyspaceBodyReader.Malformed($"unknown request letter 0x{(byte)command:X2}"),
        };
        reader.ExpectEnd();
        return request;
    }

    /// <summary>True for the letters the master must execute in a round (spec §4, "yes, write").</summary>
    public static bool IsWrite(KeyspaceCommand command) => command is KeyspaceCommand.Set or KeyspaceCommand.TestAndSet
        or KeyspaceCommand.Add or KeyspaceCommand.Rename or KeyspaceCommand.Delete or KeyspaceCommand.Remove
        or KeyspaceCommand.Prune or KeyspaceCommand.SetExpiry or KeyspaceCommand.RemoveExpiry or KeyspaceCommand.ClearExpiries;

    /// <summary>True for the letters only a master answers (writes and safe reads, spec §4 column M).</summary>
    public static bool IsMasterOnly(KeyspaceCommand command) => IsWrite(command)
        || command is KeyspaceCommand.Get or KeyspaceCommand.ListKeys or KeyspaceCommand.ListKeyValues or KeyspaceCommand.Count;

    /// <summary>True for the letters answered by items and an end mark rather than one reply.</summary>
    public static bool IsList(KeyspaceCommand command) => command is KeyspaceCommand.ListKeys or KeyspaceCommand.DirtyListKeys
        or KeyspaceCommand.ListKeyValues or KeyspaceCommand.DirtyListKeyValues;

    /// <inheritdoc />
    public void WriteBody(ref KeyspaceBodyWriter body)
    {
        body.Type((byte)Command);
        if (Command == KeyspaceCommand.Submit)
        {
            return;
        }

        body.Id(Id);
        switch (Command)
        {
            case KeyspaceCommand.GetMaster or KeyspaceCommand.ClearExpiries:
                break;
            case KeyspaceCommand.Set or KeyspaceCommand.Rename:
                body.String(Key);
                body.String(Value);
                break;
            case KeyspaceCommand.TestAndSet:
                body.String(Key);
                body.String(Test);
                body.String(Value);
                break;
            case KeyspaceCommand.Add:
                body.String(Key);
                body.Signed(Delta);
                break;
            case KeyspaceCommand.SetExpiry:
                body.String(Key);
                body.Unsigned(Seconds);
                break;
            case var _ when IsList(Command) || Command is KeyspaceCommand.Count or KeyspaceCommand.DirtyCount:
                WriteRange(ref body);
                break;
            default:
                body.String(Key);
                break;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{(char)Command}:{Id}";

    private void WriteRange(ref KeyspaceBodyWriter body)
    {
        body.String(Key);
        body.String(StartKey);
        body.Unsigned(Count);
        body.Unsigned(Offset);
        body.Direction(Backward);
    }

    private static KeyspaceRequest WithKey(ref KeyspaceBodyReader reader, KeyspaceCommand command) =>
        new() { Command = command, Id = reader.ReadId(), Key = reader.ReadBytes(command == KeyspaceCommand.Prune ? "prefix" : "key") };

    private static KeyspaceRequest Range(ref KeyspaceBodyReader reader, KeyspaceCommand command) => new()
    {
        Command = command,
        Id = reader.ReadId(),
        Key = reader.ReadBytes("prefix"),
        StartKey = reader.ReadBytes("start key"),
        Count = reader.ReadUnsigned("count"),
        Offset = reader.ReadUnsigned("offset"),
        Backward = reader.ReadBackward(),
    };
}
