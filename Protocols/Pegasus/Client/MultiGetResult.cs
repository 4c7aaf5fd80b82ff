namespace ReactiveKv.Pegasus;

/// <summary>A multi_get's records (sort key and value) and whether it fetched everything that matched.</summary>
/// <param name="Values">Sort key and value pairs.</param>
/// <param name="AllFetched">False when a count or size limit stopped it with records left.</param>
public sealed record MultiGetResult(IReadOnlyList<KeyValuePair<byte[], byte[]>> Values, bool AllFetched);
