namespace ReactiveKv.Redis;

/// <summary>XPENDING summary of a consumer group.</summary>
/// <param name="Count">Entries delivered and not acknowledged.</param>
/// <param name="SmallestId">Lowest pending ID, or null.</param>
/// <param name="GreatestId">Highest pending ID, or null.</param>
/// <param name="Consumers">Pending count per consumer.</param>
public sealed record StreamPendingSummary(long Count, string? SmallestId, string? GreatestId, IReadOnlyDictionary<string, long> Consumers);
