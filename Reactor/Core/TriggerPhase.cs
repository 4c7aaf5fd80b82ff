namespace ReactiveKv;

/// <summary>When a system event trigger runs relative to the event (Twisted's "before", "during", "after").</summary>
public enum TriggerPhase
{
    /// <summary>First; shutdown waits for the results these return (for example, flushing writes).</summary>
    Before,

    /// <summary>During the event.</summary>
    During,

    /// <summary>Last.</summary>
    After,
}
