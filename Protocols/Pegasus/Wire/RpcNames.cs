namespace ReactiveKv.Pegasus;

/// <summary>The RPC names on the THFT wire (case-sensitive); replies carry the name plus <c>_ACK</c>.</summary>
internal static class RpcNames
{
    public const string QueryConfig = "RPC_CM_QUERY_PARTITION_CONFIG_BY_INDEX";
    public const string Put = "RPC_RRDB_RRDB_PUT";
    public const string MultiPut = "RPC_RRDB_RRDB_MULTI_PUT";
    public const string Remove = "RPC_RRDB_RRDB_REMOVE";
    public const string MultiRemove = "RPC_RRDB_RRDB_MULTI_REMOVE";
    public const string Incr = "RPC_RRDB_RRDB_INCR";
    public const string CheckAndSet = "RPC_RRDB_RRDB_CHECK_AND_SET";
    public const string CheckAndMutate = "RPC_RRDB_RRDB_CHECK_AND_MUTATE";
    public const string Get = "RPC_RRDB_RRDB_GET";
    public const string MultiGet = "RPC_RRDB_RRDB_MULTI_GET";
    public const string BatchGet = "RPC_RRDB_RRDB_BATCH_GET";
    public const string SortKeyCount = "RPC_RRDB_RRDB_SORTKEY_COUNT";
    public const string Ttl = "RPC_RRDB_RRDB_TTL";
    public const string GetScanner = "RPC_RRDB_RRDB_GET_SCANNER";
    public const string Scan = "RPC_RRDB_RRDB_SCAN";
    public const string ClearScanner = "RPC_RRDB_RRDB_CLEAR_SCANNER";

    public static bool IsWrite(string name) => name is Put or MultiPut or Remove or MultiRemove or Incr or CheckAndSet or CheckAndMutate;
}
