namespace ReactiveKv.Redis;

/// <summary>
/// Redis answered a command with an error reply (for example <c>WRONGTYPE</c>). Only that command fails; the
/// connection carries on.
/// </summary>
public sealed class RedisReplyException : RemoteErrorException
{
    /// <summary>Creates the exception from the server's error text.</summary>
    public RedisReplyException(string command, string error)
        : base($"{command}: {error}")
    {
        Command = command;
        ServerMessage = error;
        var space = error.IndexOf(' ', StringComparison.Ordinal);
        Prefix = space > 0 ? error[..space] : error;
    }

    /// <summary>The command that failed.</summary>
    public string Command { get; }

    /// <summary>The error's first word: <c>ERR</c>, <c>WRONGTYPE</c>, <c>NOSCRIPT</c>, <c>MOVED</c>…</summary>
    public string Prefix { get; }

    /// <summary>The server's whole error text.</summary>
    public string ServerMessage { get; }
}
