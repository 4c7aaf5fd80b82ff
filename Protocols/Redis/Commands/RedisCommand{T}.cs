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

    public Deferred<T> Result { get; }

    public IObservable<System.Reactive.Unit> Completion => System.Reactive.Linq.Observable.Select(Result, _ => System.Reactive.Unit.Default);

    public override bool IsSettled => Result.Called;

    public override void Complete(in RawReply reply)
    {
        Replied?.Invoke(this);
        if (Result.Called)
        {
            return;
        }

        if (reply.IsError)
        {
            Result.TryErrback(new RedisReplyException(Name, reply.Text()));
            return;
        }

        T value;
        try
        {
            value = _processor(reply);
        }
        catch (Exception e) when (e is not ProtocolErrorException)
        {
            Result.TryErrback(new RedisConnectionException($"{Name}: unexpected {reply.Type} reply ({e.Message}).", true, e));
            return;
        }

        Result.TryCallback(value);
    }

    public override void Fail(Exception error) => Result.TryErrback(error);
}
