namespace ReactiveKv.Examples.Handlers;

/// <summary>Answers one command. Runs on the connection's loop thread, so it must not block.</summary>
public interface ICommandHandler
{
    /// <summary>The reply to the command with <paramref name="arguments"/> (the rest of the line after the command).</summary>
    /// <exception cref="CommandException">The arguments are wrong; the client gets <c>ERR</c> and the message.</exception>
    string Handle(string arguments);
}
