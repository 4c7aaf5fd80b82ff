namespace ReactiveKv.Pegasus;

/// <summary>What one RPC attempt produced: the frame's rDSN error, and the decoded response when it is ERR_OK.</summary>
internal readonly record struct RpcResult<T>(string Error, T? Response, string Server)
{
    public bool Ok => Error == DsnErrors.Ok && Response is not null;
}

/// <summary>Decodes a response struct straight from the reply frame.</summary>
internal delegate T ResponseDecoder<T>(ref Thrift.ThriftReader reader);
