using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>A value that goes on the wire as the single field of an args struct or result struct.</summary>
internal interface IThriftMessage
{
    /// <summary>The type byte of the field that carries it: 12 for structs and blobs, 10 for clear_scanner's id.</summary>
    ThriftType FieldType { get; }

    /// <summary>Writes the value (a struct's fields and STOP, or a bare primitive).</summary>
    void Write(ThriftWriter writer);
}
