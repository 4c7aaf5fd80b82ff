namespace ReactiveKv.Examples.Handlers;

/// <summary>
/// The tutorial's tiny event-driven framework: handlers registered by command name, and a dispatcher that turns a
/// line <c>COMMAND args</c> into the handler's reply. Register everything before serving: connections on several
/// loops read the registry at once, which is safe only while nobody writes to it.
/// </summary>
public sealed class HandlerRegistry
{
    private readonly Dictionary<string, ICommandHandler> _handlers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registered command names, sorted.</summary>
    public IEnumerable<string> Commands => _handlers.Keys.Order(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="handler"/> for <paramref name="command"/> (case-insensitive).</summary>
    public HandlerRegistry Register(string command, ICommandHandler handler)
    {
        if (string.IsNullOrWhiteSpace(command) || command.Contains(' '))
        {
            throw new ArgumentException("A command is one non-empty word.", nameof(command));
        }

        _handlers.Add(command, handler);
        return this;
    }

    /// <summary>Registers a function as the handler for <paramref name="command"/>.</summary>
    public HandlerRegistry Register(string command, Func<string, string> handle) => Register(command, new DelegateHandler(handle));

    /// <summary>The reply to <paramref name="line"/>: the handler's, or <c>ERR ...</c> for an unknown command or bad arguments.</summary>
    public string Dispatch(string line)
    {
        var space = line.IndexOf(' ');
        var command = space < 0 ? line : line[..space];
        var arguments = space < 0 ? string.Empty : line[(space + 1)..];
        if (!_handlers.TryGetValue(command, out var handler))
        {
            return $"ERR unknown command '{command}'";
        }

        try
        {
            return handler.Handle(arguments);
        }
        catch (CommandException e)
        {
            return $"ERR {e.Message}";
        }
    }
}
