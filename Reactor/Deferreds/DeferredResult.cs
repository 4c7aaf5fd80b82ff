namespace ReactiveKv;

/// <summary>One outcome in a <see cref="Deferred.List{T}"/> (Twisted's <c>(success, result)</c> pair).</summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly record struct DeferredResult<T>(bool Success, T? Value, Exception? Error);
