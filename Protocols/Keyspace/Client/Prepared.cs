using System.Buffers.Text;
using System.Reactive;
using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>
/// Builds each call and reads its reply, for the client and for batches alike. The server's limits are checked here,
/// before anything is sent: a key over 1000 bytes or a value over 100 000 makes the real server close the connection
/// (losing every call pipelined on it), so such a call fails alone with <see cref="KeyspaceBadCallException"/>.
/// </summary>
internal static class Prepared
{
    private const int ShownKeyBytes = 48;

    public static Prepared<byte[]?> Get(KeyspaceClient client, byte[] key, bool dirty) =>
        Checked<byte[]?>(key, null, null, dirty ? "DIRTYGET" : "GET", out var op) ?? Prepared<byte[]?>.Of(
            Call(client, new KeyspaceRequest { Command = dirty ? KeyspaceCommand.DirtyGet : KeyspaceCommand.Get, Key = key }, op),
            r => r.Type == KeyspaceReplyType.Failed ? null : KeyspaceClient.Value(r));

    public static Prepared<Unit> Set(KeyspaceClient client, byte[] key, byte[] value) =>
        Checked<Unit>(key, value, null, "SET", out var op) ?? Prepared<Unit>.Of(
            Call(client, new KeyspaceRequest { Command = KeyspaceCommand.Set, Key = key, Value = value }, op),
            r => Done(client, r, op, "the node could not store it"));

    public static Prepared<KeyspaceTestAndSetResult> TestAndSet(KeyspaceClient client, byte[] key, byte[] test, byte[] value) =>
        Checked<KeyspaceTestAndSetResult>(key, value, test, "TESTANDSET", out var op) ?? Prepared<KeyspaceTestAndSetResult>.Of(
            Call(client, new KeyspaceRequest { Command = KeyspaceCommand.TestAndSet, Key = key, Test = test, Value = value }, op),
            r => r.Type == KeyspaceReplyType.Failed ? new KeyspaceTestAndSetResult(false, null) : new KeyspaceTestAndSetResult(KeyspaceClient.Value(r).AsSpan().SequenceEqual(value), r.Value));

    public static Prepared<long> Add(KeyspaceClient client, byte[] key, long delta) =>
        Checked<long>(key, null, null, "ADD", out var op) ?? Prepared<long>.Of(
            Call(client, new KeyspaceRequest { Command = KeyspaceCommand.Add, Key = key, Delta = delta }, op),
            r => r.Type == KeyspaceReplyType.Failed
                ? throw KeyspaceErrors.Instance.Failed(op, client.NodesText, "the key is missing or its value is not a decimal number")
                : Number(r, op));

    public static Prepared<bool> Delete(KeyspaceClient client, byte[] key) =>
        Checked<bool>(key, null, null, "DELETE", out var op) ?? Prepared<bool>.Of(
            Call(client, new KeyspaceRequest { Command = KeyspaceCommand.Delete, Key = key }, op), r => r.Type == KeyspaceReplyType.Ok);

    public static Prepared<byte[]?> Remove(KeyspaceClient client, byte[] key) =>
        Checked<byte[]?>(key, null, null, "REMOVE", out var op) ?? Prepared<byte[]?>.Of(
            Call(client, new KeyspaceRequest { Command = KeyspaceCommand.Remove, Key = key }, op),
            r => r.Type == KeyspaceReplyType.Failed ? null : KeyspaceClient.Value(r));

    public static Prepared<bool> Rename(KeyspaceClient client, byte[] from, byte[] to) =>
        Checked<bool>(from, null, null, "RENAME", out var op) ?? Checked<bool>(to, null, null, "RENAME", out _) ?? Prepared<bool>.Of(
            Call(client, new KeyspaceRequest { Command = KeyspaceCommand.Rename, Key = from, Value = to }, op), r => r.Type == KeyspaceReplyType.Ok);

    public static Prepared<Unit> SetExpiry(KeyspaceClient client, byte[] key, ulong seconds) =>
        Checked<Unit>(key, null, null, "SETEXPIRY", out var op) ?? Prepared<Unit>.Of(
            Call(client, new KeyspaceRequest { Command = KeyspaceCommand.SetExpiry, Key = key, Seconds = seconds }, op),
            r => Done(client, r, op, "the node refused it"));

    /// <summary>A write whose only field is a key or prefix (or none): prune, remove-expiry, clear-expiries.</summary>
    public static Prepared<Unit> Write(KeyspaceClient client, KeyspaceCommand command, string verb, byte[]? key) =>
        Checked<Unit>(key ?? [], null, null, verb, out var op) ?? Prepared<Unit>.Of(
            Call(client, new KeyspaceRequest { Command = command, Key = key ?? [] }, key is null ? verb : op),
            r => Done(client, r, op, "the node refused it"));

    /// <summary>The operation's name in messages: the verb and the key, shortened and escaped.</summary>
    public static string Describe(string verb, ReadOnlySpan<byte> key)
    {
        var text = new StringBuilder(verb).Append(" '");
        foreach (var b in key[..Math.Min(key.Length, ShownKeyBytes)])
        {
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return text.Append(key.Length > ShownKeyBytes ? "…'" : "'").ToString();
    }

    /// <summary>The refusal of a key, value or test value over the server's limits; null when the call may go.</summary>
    public static Prepared<T>? Checked<T>(byte[] key, byte[]? value, byte[]? test, string verb, out string operation, string keyName = "key")
    {
        operation = Describe(verb, key);
        var error = key.Length > KeyspaceLimits.MaxKeyBytes ? KeyspaceErrors.Instance.TooLong(operation, keyName, key.Length, KeyspaceLimits.MaxKeyBytes)
            : value?.Length > KeyspaceLimits.MaxValueBytes ? KeyspaceErrors.Instance.TooLong(operation, "value", value.Length, KeyspaceLimits.MaxValueBytes)
            : test?.Length > KeyspaceLimits.MaxValueBytes ? KeyspaceErrors.Instance.TooLong(operation, "test value", test.Length, KeyspaceLimits.MaxValueBytes)
            : null;
        return error is null ? null : Prepared<T>.Refused(error);
    }

    public static KeyspaceCall Call(KeyspaceClient client, KeyspaceRequest wire, string operation) => new(wire, operation, client.NewDeadline());

    /// <summary>A signed decimal reply (add, count).</summary>
    public static long Number(KeyspaceReply reply, string operation) =>
        Utf8Parser.TryParse(KeyspaceClient.Value(reply), out long value, out var used) && used == reply.Value!.Length
            ? value
            : throw new ProtocolErrorException($"Keyspace answered {operation} with '{Encoding.ASCII.GetString(reply.Value!)}', not a decimal number.");

    private static Unit Done(KeyspaceClient client, KeyspaceReply reply, string operation, string cause) =>
        reply.Type == KeyspaceReplyType.Failed ? throw KeyspaceErrors.Instance.Failed(operation, client.NodesText, cause) : Unit.Default;
}
