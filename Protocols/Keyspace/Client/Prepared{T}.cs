namespace ReactiveKv.Keyspace;

/// <summary>A call ready to send and its typed result; or, for a call refused before sending, only the failed result.</summary>
internal sealed class Prepared<T>
{
    private Prepared(KeyspaceCall? call, Deferred<T> result)
    {
        Call = call;
        Result = result;
    }

    /// <summary>The call to send; null when it was refused.</summary>
    public KeyspaceCall? Call { get; }

    /// <summary>What the caller gets.</summary>
    public Deferred<T> Result { get; }

    public static Prepared<T> Of(KeyspaceCall call, Func<KeyspaceReply, T> map) =>
        new(call, System.Reactive.Linq.Observable.Select(call.Reply, map).ToDeferred());

    public static Prepared<T> Refused(Exception error) => new(null, Deferred.Fail<T>(error));
}
