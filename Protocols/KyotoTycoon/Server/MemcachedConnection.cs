using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// The memcached plugin (ktplugservmemc) as spec §7 describes it: text protocol on DB 0; exptime under 1 is
/// never, up to 2^24 relative, above that absolute; <c>gets</c> has no cas; with <c>opts=f</c> flags live as 4
/// big-endian bytes after the value; unknown commands answer ERROR (and a storage command's data line then
/// gives a second ERROR). With <c>opts=q</c> keys are queues (see <see cref="KtServerOptions.MemcachedQueue"/>).
/// </summary>
internal sealed class MemcachedConnection(KtServer server)
    : FramedProtocol<MemcachedCommand>(new MemcachedCommandDecoder(MaxLine, BinaryProtocol.MaxFieldBytes))
{
    private const int MaxLine = 8192;
    private const long RelativeLimit = 1 << 24;

    // Queue mode: messages taken by this connection and not yet acknowledged, oldest first (they go back on close).
    private readonly List<(string Name, byte[] Key, byte[] Value, long Xt)> _taken = [];

    // Set while a queue-mode get waits for a message; cancels the wait.
    private Action? _cancelWait;

    protected override bool Suspended => _cancelWait is not null;

    protected override bool FrameError(ProtocolErrorException error)
    {
        // An overlong line, a bad size or a data block without its line end: the plugin drops the connection silently.
        Transport.LoseConnection();
        return true;
    }

    protected override void FrameReceived(MemcachedCommand command)
    {
        var (verb, tokens) = (command.Verb, command.Tokens);
        if (server.Options.MemcachedReadOnly && verb is "set" or "add" or "replace" or "delete" or "incr" or "decr" or "flush_all")
        {
            Line("SERVER_ERROR server is read-only");
            return;
        }

        switch (verb)
        {
            case "set" or "add" or "replace":
                Store(verb, tokens, command.Data);
                return;
            case "get" or "gets" when server.Options.MemcachedQueue:
                TakeOrWait(tokens[1..], Transport.Loop.Now + server.Options.MemcachedQueueTimeout);
                return;
            case "get" or "gets":
                Get(tokens);
                return;
            case "delete" when server.Options.MemcachedQueue:
                Reply(tokens, tokens.Length > 1 && Acknowledge(tokens[1]) ? "DELETED" : "NOT_FOUND");
                return;
            case "delete":
                var deleted = tokens.Length > 1 && server.OnMemcachedDatabase((db, now) => db.Get(Key(tokens[1]), now) is not null && db.Remove(Key(tokens[1])));
                Reply(tokens, deleted ? "DELETED" : "NOT_FOUND");
                return;
            case "incr" or "decr":
                IncrDecr(verb, tokens);
                return;
            case "flush_all":
                server.OnMemcachedDatabase((db, _) =>
                {
                    db.Clear();
                    return true;
                });
                Reply(tokens, "OK");
                return;
            case "version":
                Line("VERSION KyotoTycoon/0.9.56b");
                return;
            case "stats":
                var (count, size) = server.OnMemcachedDatabase((db, _) => (db.Count, db.Size));
                Line($"STAT pid {Environment.ProcessId}\r\nSTAT version KyotoTycoon/0.9.56b\r\nSTAT curr_items {count}\r\nSTAT bytes {size}\r\nEND");
                return;
            case "quit":
                Transport.LoseConnection();
                return;
            default:
                Line("ERROR");
                break;
        }
    }

    private void Store(string verb, string[] tokens, in ReadOnlySequence<byte> data)
    {
        if (tokens.Length < 5)
        {
            Line("CLIENT_ERROR invalid parameters");
            return;
        }

        var value = data.ToArray();
        var flags = uint.TryParse(tokens[2], NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0;
        var exptime = long.TryParse(tokens[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e) ? e : 0;
        var stored = server.Options.MemcachedFlags ? WithFlags(value, flags) : value;
        if (server.Options.MemcachedQueue)
        {
            // Every storage command appends a message; getters waiting on the key are woken to race for it.
            var message = server.NextQueueKey(tokens[1]);
            server.OnMemcachedDatabase((db, now) =>
            {
                db.Set(message, stored, exptime < 1 ? KtExpiry.NeverAbsolute : exptime <= RelativeLimit ? now + exptime : exptime);
                return true;
            });
            Reply(tokens, "STORED");
            server.QueueArrivals.Signal(tokens[1], broadcast: true);
            return;
        }

        var key = Key(tokens[1]);
        var outcome = server.OnMemcachedDatabase((db, now) =>
        {
            var exists = db.Get(key, now) is not null;
            if ((verb == "add" && exists) || (verb == "replace" && !exists))
            {
                return false;
            }

            db.Set(key, stored, exptime < 1 ? KtExpiry.NeverAbsolute : exptime <= RelativeLimit ? now + exptime : exptime);
            return true;
        });
        Reply(tokens, outcome ? "STORED" : "NOT_STORED");
    }

    private void Get(string[] tokens)
    {
        var text = new StringBuilder();
        var output = new ArrayBufferWriter<byte>();
        foreach (var name in tokens.Skip(1))
        {
            var record = server.OnMemcachedDatabase((db, now) => db.Get(Key(name), now));
            if (record is not { } found)
            {
                continue;
            }

            WriteValue(output, name, found.Value);
        }

        output.Write("END\r\n"u8);
        Transport.Write(output.WrittenSpan);
    }

    /// <summary>
    /// Queue-mode get: takes the oldest message of each key; when none has one, waits for an arrival (reading pauses,
    /// so pipelined commands wait too) and tries again, answering a bare END at the deadline.
    /// </summary>
    private void TakeOrWait(string[] names, DateTimeOffset deadline)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var name in names)
        {
            if (Take(name) is { } message)
            {
                _taken.Add(message);
                WriteValue(output, name, message.Value);
            }
        }

        var remaining = deadline - Transport.Loop.Now;
        if (output.WrittenCount > 0 || names.Length == 0 || remaining <= TimeSpan.Zero)
        {
            output.Write("END\r\n"u8);
            Transport.Write(output.WrittenSpan);
            return;
        }

        (Transport as IPushProducer)?.PauseProducing();
        _cancelWait = server.QueueArrivals.WaitOnLoop(Transport.Loop, names, remaining, _ =>
        {
            // Signalled or not, try again: another getter may have won the message, or one may have just arrived.
            _cancelWait = null;
            if (Connected && !Transport.Disconnecting)
            {
                TakeOrWait(names, deadline);
                if (_cancelWait is null)
                {
                    (Transport as IPushProducer)?.ResumeProducing();
                }
            }
        });
    }

    private (string Name, byte[] Key, byte[] Value, long Xt)? Take(string name)
    {
        var prefix = Key(name + " ");
        return server.OnMemcachedDatabase((db, now) =>
        {
            if (db.FirstWithPrefix(prefix, now, key => IsMessageKey(key, prefix.Length)) is not { } found)
            {
                return ((string, byte[], byte[], long)?)null;
            }

            db.Remove(found.Key);
            return (name, found.Key, found.Value, found.Xt);
        });
    }

    // "<14 digits> <4 digits>" after the name and its space, so queue "a" never takes a message of queue "a b".
    private static bool IsMessageKey(byte[] key, int at) =>
        key.Length == at + 19 && key.AsSpan(at, 14).IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 && key[at + 14] == ' ' && key.AsSpan(at + 15, 4).IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    /// <summary>Queue-mode delete: acknowledges the last message this connection took from the key.</summary>
    private bool Acknowledge(string name)
    {
        var index = _taken.FindLastIndex(m => m.Name == name);
        if (index < 0)
        {
            return false;
        }

        _taken.RemoveAt(index);
        return true;
    }

    protected override void ConnectionLost(Exception reason)
    {
        _cancelWait?.Invoke();
        _cancelWait = null;
        if (_taken.Count == 0)
        {
            return;
        }

        // Taken but never acknowledged: back into the queue under their original keys, so they keep their place.
        server.OnMemcachedDatabase((db, _) =>
        {
            foreach (var (_, key, value, xt) in _taken)
            {
                db.Set(key, value, xt);
            }

            return true;
        });
        foreach (var name in _taken.Select(m => m.Name).Distinct())
        {
            server.QueueArrivals.Signal(name, broadcast: true);
        }

        _taken.Clear();
    }

    private void WriteValue(ArrayBufferWriter<byte> output, string name, byte[] stored)
    {
        var (value, flags) = server.Options.MemcachedFlags && stored.Length >= 4
            ? (stored[..^4], BinaryPrimitives.ReadUInt32BigEndian(stored.AsSpan(stored.Length - 4)))
            : (stored, 0u);
        output.Write(Encoding.Latin1.GetBytes($"VALUE {name} {flags} {value.Length}\r\n"));
        output.Write(value);
        output.Write("\r\n"u8);
    }

    private void IncrDecr(string verb, string[] tokens)
    {
        if (tokens.Length < 3 || !ulong.TryParse(tokens[2], NumberStyles.None, CultureInfo.InvariantCulture, out var delta))
        {
            Line("CLIENT_ERROR invalid parameters");
            return;
        }

        var key = Key(tokens[1]);
        var result = server.OnMemcachedDatabase((db, now) =>
        {
            if (db.Get(key, now) is not { } record)
            {
                return (ulong?)null;
            }

            var flagsSuffix = server.Options.MemcachedFlags && record.Value.Length >= 4 ? record.Value[^4..] : [];
            var digits = Encoding.ASCII.GetString(record.Value[..^flagsSuffix.Length]);
            var current = ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var updated = verb == "incr" ? unchecked(current + delta) : current > delta ? current - delta : 0;
            db.Set(key, [.. Encoding.ASCII.GetBytes(updated.ToString(CultureInfo.InvariantCulture)), .. flagsSuffix], record.Xt);
            return updated;
        });
        Reply(tokens, result is { } value ? value.ToString(CultureInfo.InvariantCulture) : "NOT_FOUND");
    }

    private static byte[] WithFlags(byte[] value, uint flags)
    {
        var stored = new byte[value.Length + 4];
        value.CopyTo(stored, 0);
        BinaryPrimitives.WriteUInt32BigEndian(stored.AsSpan(value.Length), flags);
        return stored;
    }

    private static byte[] Key(string key) => Encoding.Latin1.GetBytes(key);

    private void Reply(string[] tokens, string reply)
    {
        if (tokens[^1] != "noreply")
        {
            Line(reply);
        }
    }

    private void Line(string text) => Transport.Write(Encoding.Latin1.GetBytes(text + "\r\n"));
}
