namespace ReactiveKv.Pegasus.Thrift;

/// <summary>Thrift binary protocol type bytes, as Pegasus uses them.</summary>
internal enum ThriftType : byte
{
    Stop = 0,
    Bool = 2,
    Byte = 3,
    I16 = 6,
    I32 = 8,
    I64 = 10,
    String = 11,
    Struct = 12,
    Map = 13,
    List = 15,
}
