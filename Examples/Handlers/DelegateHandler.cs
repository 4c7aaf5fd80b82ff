namespace ReactiveKv.Examples.Handlers;

/// <summary>A handler from a function, for one-liners.</summary>
internal sealed class DelegateHandler(Func<string, string> handle) : ICommandHandler
{
    public string Handle(string arguments) => handle(arguments);
}
