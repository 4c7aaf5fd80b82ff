namespace ReactiveKv.Pegasus;

/// <summary>
/// The connection errors of Pegasus sessions. They rarely reach users: a session turns them into ERR_TIMEOUT or
/// ERR_SESSION_RESET results that the table retries; what the user finally sees is a <see cref="PegasusException"/>.
/// </summary>
internal sealed class PegasusErrors : ClientErrors
{
    public static readonly PegasusErrors Instance = new();

    private PegasusErrors()
        : base("Pegasus")
    {
    }
}
