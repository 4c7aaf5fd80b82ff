namespace ReactiveKv.Pegasus;

/// <summary>What check_and_set / check_and_mutate / compare_exchange did.</summary>
/// <param name="Succeeded">The check passed and the write was applied.</param>
/// <param name="CheckValueReturned">The check value was asked for and returned.</param>
/// <param name="CheckValueExists">The checked record exists (when returned).</param>
/// <param name="CheckValue">The checked record's value (when returned and existing).</param>
public sealed record CheckAndSetResult(bool Succeeded, bool CheckValueReturned, bool CheckValueExists, byte[]? CheckValue);
