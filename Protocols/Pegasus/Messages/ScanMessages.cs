using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary><c>get_scanner_request</c>. <see cref="ValidatePartitionHash"/> absent on the wire means true.</summary>
internal sealed class GetScannerRequest : IThriftMessage
{
    public byte[] StartKey { get; set; } = [];

    public byte[] StopKey { get; set; } = [];

    public bool StartInclusive { get; set; } = true;

    public bool StopInclusive { get; set; }

    public int BatchSize { get; set; } = 100;

    public bool NoValue { get; set; }

    public int HashKeyFilterType { get; set; }

    public byte[] HashKeyFilterPattern { get; set; } = [];

    public int SortKeyFilterType { get; set; }

    public byte[] SortKeyFilterPattern { get; set; } = [];

    public bool ValidatePartitionHash { get; set; } = true;

    public bool ReturnExpireTs { get; set; }

    public bool FullScan { get; set; }

    public bool OnlyReturnCount { get; set; }

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.BlobField(1, StartKey);
        w.BlobField(2, StopKey);
        w.BoolField(3, StartInclusive);
        w.BoolField(4, StopInclusive);
        w.I32Field(5, BatchSize);
        w.BoolField(6, NoValue);
        w.I32Field(7, HashKeyFilterType);
        w.BlobField(8, HashKeyFilterPattern);
        w.I32Field(9, SortKeyFilterType);
        w.BlobField(10, SortKeyFilterPattern);
        w.BoolField(11, ValidatePartitionHash);
        w.BoolField(12, ReturnExpireTs);
        w.BoolField(13, FullScan);
        w.BoolField(14, OnlyReturnCount);
        w.Stop();
    }

    public static GetScannerRequest Read(ref ThriftReader r)
    {
        var m = new GetScannerRequest { StartInclusive = false, BatchSize = 0 };
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.StartKey = r.BlobOrSkip(t); break;
                case 2: m.StopKey = r.BlobOrSkip(t); break;
                case 3: m.StartInclusive = r.Bool(t); break;
                case 4: m.StopInclusive = r.Bool(t); break;
                case 5: m.BatchSize = r.I32(t); break;
                case 6: m.NoValue = r.Bool(t); break;
                case 7: m.HashKeyFilterType = r.I32(t); break;
                case 8: m.HashKeyFilterPattern = r.BlobOrSkip(t); break;
                case 9: m.SortKeyFilterType = r.I32(t); break;
                case 10: m.SortKeyFilterPattern = r.BlobOrSkip(t); break;
                case 11: m.ValidatePartitionHash = r.Bool(t); break;
                case 12: m.ReturnExpireTs = r.Bool(t); break;
                case 13: m.FullScan = r.Bool(t); break;
                case 14: m.OnlyReturnCount = r.Bool(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>scan_request</c>: the context id of the previous reply.</summary>
internal sealed class ScanRequest : IThriftMessage
{
    public long ContextId { get; set; }

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.I64Field(1, ContextId);
        w.Stop();
    }

    public static ScanRequest Read(ref ThriftReader r)
    {
        var m = new ScanRequest();
        while (r.Field(out var t, out var id))
        {
            if (id == 1)
            {
                m.ContextId = r.I64(t);
            }
            else
            {
                r.Skip(t);
            }
        }

        return m;
    }
}

/// <summary><c>scan_response</c>: keys are full composite keys; context -1 means done, &gt;= 0 means call scan with it.</summary>
internal sealed class ScanResponse : ReplicaResponse
{
    public const long Completed = -1;

    public List<KeyValue> Kvs { get; set; } = [];

    public long ContextId { get; set; }

    public int? KvCount { get; set; }

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        KeyValue.WriteList(w, 2, Kvs);
        w.I64Field(3, ContextId);
        w.I32Field(4, AppId);
        w.I32Field(5, PartitionIndex);
        w.StringField(6, Server);
        if (KvCount is { } count)
        {
            w.I32Field(7, count);
        }

        w.Stop();
    }

    public static ScanResponse Read(ref ThriftReader r)
    {
        var m = new ScanResponse();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Error = r.I32(t); break;
                case 2: m.Kvs = KeyValue.ReadList(ref r, t); break;
                case 3: m.ContextId = r.I64(t); break;
                case 4: m.AppId = r.I32(t); break;
                case 5: m.PartitionIndex = r.I32(t); break;
                case 6: m.Server = r.String(t); break;
                case 7: m.KvCount = r.I32(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}
