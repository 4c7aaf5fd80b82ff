namespace ReactiveKv.Pegasus;

/// <summary>
/// What one RPC attempt produced: the frame's rDSN error, and the decoded response when it is ERR_OK; for an attempt
/// the connection failed (ERR_SESSION_RESET, ERR_TIMEOUT), what happened to it, for messages people read.
/// </summary>
internal readonly record struct RpcResult<T>(string Error, T? Response, string Server, Exception? Cause = null)
{
    public bool Ok => Error == DsnErrors.Ok && Response is not null;

    /// <summary>The error code, with the connection's reason when there is one ("connection refused (ERR_SESSION_RESET)").</summary>
    public string Described => Cause is null ? Error : $"{Cause.Message} ({Error})";
}

/// <summary>Decodes a response struct straight from the reply frame.</summary>
internal delegate T ResponseDecoder<T>(ref Thrift.ThriftReader reader);
