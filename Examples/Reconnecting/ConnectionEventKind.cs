namespace ReactiveKv.Examples.Reconnecting;

/// <summary>What happened to a reconnecting client's connection.</summary>
public enum ConnectionEventKind
{
    /// <summary>A connection was made.</summary>
    Connected,

    /// <summary>An established connection went away.</summary>
    Lost,

    /// <summary>An attempt to connect failed.</summary>
    Failed,
}
