namespace ReactiveKv.KyotoTycoon;

/// <summary>One HTTP answer of the embedded server, before the connection frames it (status line, headers, length).</summary>
/// <param name="Status">The status code.</param>
/// <param name="Reason">The reason phrase ktserver sends with it.</param>
/// <param name="Headers">Headers beyond the ones every answer carries (Server, Date, Content-Length, Connection).</param>
/// <param name="Body">The body; empty for none.</param>
internal sealed record KtHttpReply(int Status, string Reason, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body);
