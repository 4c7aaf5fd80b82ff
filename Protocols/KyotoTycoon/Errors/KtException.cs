namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// A Kyoto Tycoon call failed: an HTTP status other than 200 (with the server's ERROR text), a binary 0xBF reply,
/// or a 450 "logical inconsistency" where the call has no result to express it.
/// </summary>
public class KtException : RemoteErrorException
{
    /// <summary>Creates the exception.</summary>
    public KtException(string procedure, int status, string message, Exception? inner = null)
        : base($"Kyoto Tycoon {procedure} failed ({status}): {message}", inner)
    {
        Procedure = procedure;
        Status = status;
        ServerMessage = message;
    }

    /// <summary>The RPC procedure or binary command.</summary>
    public string Procedure { get; }

    /// <summary>HTTP status (400 invalid, 450 logical inconsistency, 500 internal, 501 not implemented, 503 timeout); 0 for a binary error.</summary>
    public int Status { get; }

    /// <summary>The server's ERROR text.</summary>
    public string ServerMessage { get; }
}
