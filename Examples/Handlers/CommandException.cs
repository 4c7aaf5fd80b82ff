namespace ReactiveKv.Examples.Handlers;

/// <summary>A handler refused its arguments; the message goes back to the client.</summary>
public sealed class CommandException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CommandException(string message)
        : base(message)
    {
    }
}
