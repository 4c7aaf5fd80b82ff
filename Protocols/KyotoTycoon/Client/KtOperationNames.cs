namespace ReactiveKv.KyotoTycoon;

/// <summary>How a Kyoto Tycoon call is named and judged for telemetry: by procedure or command, never by key.</summary>
internal static class KtOperationNames
{
    private const string RpcPrefix = "/rpc/";

    /// <summary>"get" for <c>POST /rpc/get</c>, "GET" for a REST <c>GET /key</c>, "get_bulk" for binary 0xBA.</summary>
    public static string Of(KtConnection.Kind kind, string operation, byte magic)
    {
        if (kind != KtConnection.Kind.Http)
        {
            return Binary(magic);
        }

        var space = operation.IndexOf(' ');
        var target = operation.AsSpan(space + 1);
        if (!target.StartsWith(RpcPrefix, StringComparison.Ordinal))
        {
            return operation[..space];
        }

        var procedure = target[RpcPrefix.Length..];
        var query = procedure.IndexOf('?');
        return Uri.UnescapeDataString((query < 0 ? procedure : procedure[..query]).ToString());
    }

    /// <summary>
    /// The <c>error.type</c> of a reply, or null for a success: an HTTP status of 400 or more, except 450 (a logical
    /// answer such as "no such record", which the caller reads as a result); a failed binary command.
    /// </summary>
    public static string? ErrorType(KtConnection.Kind kind, KtReply reply)
    {
        if (kind == KtConnection.Kind.Http)
        {
            var status = reply.Http!.Status;
            return status >= 400 && status != 450 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        return reply.Failed || reply.Binary is null ? "binary_error" : null;
    }

    private static string Binary(byte magic) => magic switch
    {
        BinaryProtocol.SetBulk => "set_bulk",
        BinaryProtocol.RemoveBulk => "remove_bulk",
        BinaryProtocol.GetBulk => "get_bulk",
        BinaryProtocol.PlayScript => "play_script",
        BinaryProtocol.Replication => "replication",
        _ => "binary",
    };
}
