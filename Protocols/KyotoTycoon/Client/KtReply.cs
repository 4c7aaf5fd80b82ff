namespace ReactiveKv.KyotoTycoon;

/// <summary>One decoded reply to a client request.</summary>
/// <param name="Http">The HTTP response, for an HTTP request.</param>
/// <param name="Binary">
/// For a binary request: the hit count (boxed <see cref="long"/>) of set_bulk/remove_bulk, the records of get_bulk,
/// or the (key, value) records of play_script; null when <paramref name="Failed"/>.
/// </param>
/// <param name="Failed">The server answered the binary error byte 0xBF.</param>
internal readonly record struct KtReply(HttpResponse? Http, object? Binary, bool Failed);
