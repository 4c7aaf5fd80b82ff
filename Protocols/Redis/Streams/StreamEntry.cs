namespace ReactiveKv.Redis;

/// <summary>One stream entry: its ID and its field/value pairs in order.</summary>
public sealed record StreamEntry(string Id, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>The value of <paramref name="field"/>, or null.</summary>
    public string? this[string field] => Fields.FirstOrDefault(f => f.Key == field).Value;
}
