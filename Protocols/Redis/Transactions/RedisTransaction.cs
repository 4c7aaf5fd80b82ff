using System.Reactive;

namespace ReactiveKv.Redis;

/// <summary>
/// MULTI … EXEC. Commands called on it are queued here; <see cref="Execute"/> writes MULTI, the commands and EXEC
/// back to back on the connection, and each command's Deferred then fires with its own result from EXEC's reply.
/// Nothing reaches the server before <see cref="Execute"/>, so abandoning a transaction (disposing it) needs no
/// DISCARD; a command the server refuses while queuing makes EXEC fail (EXECABORT) and every command with it.
/// </summary>
public sealed class RedisTransaction : RedisQueuedCommands, IRedisTransaction
{
    private readonly Action<IReadOnlyList<RedisCommand>, TimeSpan?> _submit;

    internal RedisTransaction(int database, Action<IReadOnlyList<RedisCommand>, TimeSpan?> submit)
        : base(database) => _submit = submit;

    /// <inheritdoc/>
    public Deferred<bool> Execute(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (Canceled<bool>(cancellationToken) is { } canceled)
        {
            // Nothing is sent: the queued commands fail as when the transaction is disposed.
            Drop(new OperationCanceledException("The transaction was cancelled before it was executed.", cancellationToken));
            return canceled;
        }

        _submit(Build(Take(), DatabaseIndex, out var committed), timeout);
        return committed.WithCancellation(cancellationToken);
    }

    /// <summary>Drops the queued commands without sending anything; their Deferreds are cancelled.</summary>
    public void Dispose() => Drop(new OperationCanceledException("The transaction was disposed before it was executed."));

    /// <summary>MULTI, each command wrapped to expect QUEUED, and EXEC that hands each command its result.</summary>
    internal static IReadOnlyList<RedisCommand> Build(IReadOnlyList<RedisCommand> commands, int database, out Deferred<bool> committed)
    {
        var queueErrors = new Exception?[commands.Count];
        var group = new List<RedisCommand>(commands.Count + 2)
        {
            new RedisCommand<bool>("MULTI", database, [], Replies.Ok),
        };
        for (var i = 0; i < commands.Count; i++)
        {
            group.Add(new QueuedCommand(commands[i], i, queueErrors));
        }

        var exec = new RedisCommand<bool>("EXEC", database, [], (in RawReply reply) => Distribute(reply, commands));
        exec.Result.Subscribe(_ => { }, error =>
        {
            foreach (var command in commands)
            {
                command.Fail(error);
            }
        });
        group.Add(exec);
        committed = exec.Result;
        return group;
    }

    private static bool Distribute(in RawReply reply, IReadOnlyList<RedisCommand> commands)
    {
        if (reply.IsNull)
        {
            var aborted = new RedisTransactionAbortedException();
            foreach (var command in commands)
            {
                command.Fail(aborted);
            }

            return false;
        }

        var i = 0;
        foreach (var child in reply.Children())
        {
            commands[i++].Complete(child);
        }

        return true;
    }

    /// <summary>Writes a queued command; its inline answer is QUEUED (or a queuing error for that command).</summary>
    private sealed class QueuedCommand(RedisCommand inner, int index, Exception?[] errors) : RedisCommand(inner.Name, inner.Database, [])
    {
        public override bool IsSettled => false;

        public override RedisCommand Executed => inner;

        public override void Write(System.Buffers.IBufferWriter<byte> output)
        {
            inner.Write(output);
            inner.Written = true;
        }

        public override void Complete(in RawReply reply)
        {
            if (reply.IsError)
            {
                errors[index] = new RedisReplyException(inner.Name, reply.Text());
                ReportSettled(errors[index]);
                inner.Fail(errors[index]!);
                return;
            }

            // QUEUED: this wrapper never settles (the EXEC reply settles the command), so its measurement ends here.
            ReportSettled((Exception?)null);
        }

        public override void Fail(Exception error)
        {
            ReportSettled(error);
            inner.Fail(error);
        }
    }
}
