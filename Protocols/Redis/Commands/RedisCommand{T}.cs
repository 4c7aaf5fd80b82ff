namespace ReactiveKv.Redis;

/// <summary>A command whose reply becomes a <typeparamref name="T"/> in a <see cref="Deferred{T}"/>.</summary>
internal sealed class RedisCommand<T> : RedisCommand, IResultSource
{
    private readonly ReplyProcessor<T> _processor;

    public RedisCommand(string name, int database, RedisValue[] arguments, ReplyProcessor<T> processor, Action<Deferred<T>>? canceller = null)
        : base(name, database, arguments)
    {
        _processor = processor;
        Result = new Deferred<T>(canceller);
    }

    private RedisCommand(RedisCommand<T> original, RedisValue[] arguments, Deferred<T> result)
        : base(original.Name, original.Database, arguments)
    {
        _processor = original._processor;
        Result = result;
        Blocking = original.Blocking;
        Redirects = original.Redirects;
        Deadline = original.Deadline;
        Redirected = original.Redirected;
    }

    internal ReplyProcessor<T> Processor => _processor;

    internal override RedisCommand? CopyToResend() => Resend();

    internal override void SubmitTo(RedisClusterRouter router, TimeSpan? timeout) => router.Submit(this, timeout);

    /// <summary>The same command, to be sent again elsewhere; it settles this one's Deferred (one request object per write).</summary>
    public RedisCommand<T> Resend()
    {
        var copy = new RedisCommand<T>(this, Arguments, Result) { Redirected = Redirected + 1 };
        copy.TakeMeasurementFrom(this);
        return copy;
    }

    /// <summary>A command with this one's name and reply processor but other arguments and its own Deferred (one slot's part of a split command).</summary>
    public RedisCommand<T> Part(RedisValue[] arguments) => new(this, arguments, new Deferred<T>()) { Redirected = 0 };

    public Deferred<T> Result { get; }

    public IObservable<System.Reactive.Unit> Completion => System.Reactive.Linq.Observable.Select(Result, _ => System.Reactive.Unit.Default);

    public override bool IsSettled => Result.Called;

    public override void Complete(in RawReply reply)
    {
        Replied?.Invoke(this);
        if (Result.Called)
        {
            ReportAbandoned();
            return;
        }

        if (reply.IsError)
        {
            if (Redirects is { } redirects && redirects.TryRedirect(this, reply.Text()))
            {
                return;
            }

            Settle(new RedisReplyException(Name, reply.Text()));
            return;
        }

        T value;
        try
        {
            value = _processor(reply);
        }
        catch (Exception e) when (e is not ProtocolErrorException)
        {
            Settle(new RedisConnectionException($"{Name}: unexpected {reply.Type} reply ({e.Message}).", true, e));
            return;
        }

        // Reported before the result is delivered: the caller's continuation may run inline, and is not the command's time.
        ReportSettled((Exception?)null);
        Result.TryCallback(value);
    }

    public override void Fail(Exception error) => Settle(error);

    private void Settle(Exception error)
    {
        ReportSettled(error);
        Result.TryErrback(error);
    }
}
