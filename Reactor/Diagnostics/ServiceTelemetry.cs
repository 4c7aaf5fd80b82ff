namespace ReactiveKv;

/// <summary>
/// A backend's <see cref="ClientTelemetry"/> bound to one service's server: <c>server.address</c> and
/// <c>server.port</c> worked out once (the port boxed once), not per request.
/// </summary>
internal sealed class ServiceTelemetry
{
    public ServiceTelemetry(ClientTelemetry telemetry, string server)
    {
        Telemetry = telemetry;
        (Address, Port) = Split(server);
        SystemTag = new(telemetry.SystemKey, telemetry.SystemName);
    }

    /// <summary>The tag the service's own instruments (backlog, reconnects) carry.</summary>
    public KeyValuePair<string, object?> SystemTag { get; }

    public ClientTelemetry Telemetry { get; }

    public string Address { get; }

    public object? Port { get; }

    /// <summary>
    /// "host:port", "[v6]:port", either followed by a space and more ("host:port vhost '/'"), or anything else (a
    /// socket path) kept whole, with no port.
    /// </summary>
    internal static (string Address, object? Port) Split(string server)
    {
        var space = server.IndexOf(' ');
        server = space > 0 ? server[..space] : server;
        var colon = server.LastIndexOf(':');
        if (colon > 0 && int.TryParse(server.AsSpan(colon + 1), System.Globalization.NumberStyles.None, null, out var port)
            && (server.IndexOf(':') == colon || server[colon - 1] == ']'))
        {
            return (server[..colon].Trim('[', ']'), port);
        }

        return (server, null);
    }
}
