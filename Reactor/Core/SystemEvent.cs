namespace ReactiveKv;

/// <summary>Reactor lifecycle events that triggers can hook.</summary>
public enum SystemEvent
{
    /// <summary>The reactor starts running.</summary>
    Startup,

    /// <summary>The reactor stops.</summary>
    Shutdown,
}
