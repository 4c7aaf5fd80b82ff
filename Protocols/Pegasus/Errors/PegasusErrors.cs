namespace ReactiveKv.Pegasus;

/// <summary>
/// The connection errors of Pegasus sessions. They rarely reach users: a session turns them into ERR_TIMEOUT or
/// ERR_SESSION_RESET results that the table retries; what the user finally sees is built by the table's operation context.
/// </summary>
internal static class PegasusErrors
{
    public static readonly ClientErrors Instance = new("Pegasus", "the Pegasus meta or replica server");
}
