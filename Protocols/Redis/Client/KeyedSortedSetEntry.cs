namespace ReactiveKv.Redis;

/// <summary>A sorted-set member popped from <see cref="Key"/> (BZPOPMIN, BZPOPMAX).</summary>
public readonly record struct KeyedSortedSetEntry(string Key, SortedSetEntry Entry);
