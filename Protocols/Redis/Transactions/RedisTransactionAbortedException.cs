namespace ReactiveKv.Redis;

/// <summary>EXEC answered null: a WATCHed key changed, so none of the transaction's commands ran.</summary>
public sealed class RedisTransactionAbortedException : ReactorException
{
    /// <summary>Creates the exception.</summary>
    public RedisTransactionAbortedException()
        : base("The transaction was aborted because a watched key changed; none of its commands ran.")
    {
    }
}
