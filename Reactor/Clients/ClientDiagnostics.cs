using System.Diagnostics.Metrics;

namespace ReactiveKv;

/// <summary>
/// The counters every client connection service reports, on the reactor's meter (<see cref="ReactorDiagnostics.MeterName"/>),
/// tagged with the backend's name: requests, timeouts, requests failed by their connection, connections made and lost.
/// </summary>
internal static class ClientDiagnostics
{
    public static readonly Counter<long> Requests = ReactorDiagnostics.Meter.CreateCounter<long>("reactivekv.client.requests", "{request}", "Requests submitted to backend clients");

    public static readonly Counter<long> Timeouts = ReactorDiagnostics.Meter.CreateCounter<long>("reactivekv.client.timeouts", "{request}", "Requests that passed their deadline");

    public static readonly Counter<long> ConnectionFailures = ReactorDiagnostics.Meter.CreateCounter<long>("reactivekv.client.connection_failures", "{request}", "Requests failed by their connection (lost, unreachable, backlog full, disposed)");

    public static readonly Counter<long> Connects = ReactorDiagnostics.Meter.CreateCounter<long>("reactivekv.client.connects", "{connection}", "Connections made ready (first connects and reconnects)");

    public static readonly UpDownCounter<long> Backlog = ReactorDiagnostics.Meter.CreateUpDownCounter<long>("reactivekv.client.backlog", "{request}", "Requests waiting for a connection or for room in the in-flight window");

    public static KeyValuePair<string, object?> Tag(string backend) => new("backend", backend);
}
