namespace ReactiveKv.Redis;

/// <summary>The type of a RESP2/RESP3 reply, named after its first byte.</summary>
public enum RespType : byte
{
    /// <summary><c>+</c> simple string.</summary>
    SimpleString = (byte)'+',

    /// <summary><c>-</c> error.</summary>
    Error = (byte)'-',

    /// <summary><c>:</c> integer.</summary>
    Integer = (byte)':',

    /// <summary><c>$</c> bulk string (null when its length is -1 in RESP2).</summary>
    BulkString = (byte)'$',

    /// <summary><c>*</c> array (null when its length is -1 in RESP2).</summary>
    Array = (byte)'*',

    /// <summary><c>_</c> RESP3 null.</summary>
    Null = (byte)'_',

    /// <summary><c>#</c> RESP3 boolean.</summary>
    Boolean = (byte)'#',

    /// <summary><c>,</c> RESP3 double.</summary>
    Double = (byte)',',

    /// <summary><c>(</c> RESP3 big number.</summary>
    BigNumber = (byte)'(',

    /// <summary><c>!</c> RESP3 blob error.</summary>
    BlobError = (byte)'!',

    /// <summary><c>=</c> RESP3 verbatim string (<c>txt:</c> or <c>mkd:</c> prefix).</summary>
    VerbatimString = (byte)'=',

    /// <summary><c>%</c> RESP3 map.</summary>
    Map = (byte)'%',

    /// <summary><c>~</c> RESP3 set.</summary>
    Set = (byte)'~',

    /// <summary><c>&gt;</c> RESP3 push (out-of-band: pub/sub messages, invalidations).</summary>
    Push = (byte)'>',
}
