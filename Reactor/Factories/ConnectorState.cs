namespace ReactiveKv;

/// <summary>Where an <see cref="IConnector"/> is in its lifecycle.</summary>
public enum ConnectorState
{
    /// <summary>Not connected and not trying.</summary>
    Disconnected,

    /// <summary>An attempt is under way.</summary>
    Connecting,

    /// <summary>Connected.</summary>
    Connected,
}
