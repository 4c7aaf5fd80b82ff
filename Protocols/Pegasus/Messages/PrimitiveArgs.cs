using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>A bare blob as the args value (get, remove, ttl, sortkey_count).</summary>
internal sealed record BlobArgs(byte[] Value) : IThriftMessage
{
    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter writer) => writer.Binary(Value);
}

/// <summary>A bare i64 as the args value (clear_scanner's context id).</summary>
internal sealed record I64Args(long Value) : IThriftMessage
{
    public ThriftType FieldType => ThriftType.I64;

    public void Write(ThriftWriter writer) => writer.I64(Value);
}
