using System.Diagnostics;

namespace ReactiveKv;

/// <summary>
/// What a measured request carries until it settles: where it went, its activity (null when not sampled) and when it
/// started. Allocated only while something listens, so an unobserved request pays one null field. Before the request
/// reaches a service, <see cref="Service"/> is null and <see cref="Activity"/> is its caller's (see
/// <see cref="ClientRequest.RememberCaller"/>).
/// </summary>
internal sealed record RequestTelemetry(ServiceTelemetry? Service, Activity? Activity, long StartedAt);
