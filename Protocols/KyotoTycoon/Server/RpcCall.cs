namespace ReactiveKv.KyotoTycoon;

/// <summary>One parsed RPC request: the procedure, its named inputs, and the bulk (<c>_name</c>) inputs without the underscore.</summary>
internal sealed record RpcCall(string Procedure, Dictionary<string, byte[]> Input, Dictionary<string, byte[]> Bulk);
