using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>
/// The read responses that share one layout: error (1), a payload (2), app_id (3), partition_index (4), server (6):
/// <c>read_response</c> (blob value), <c>count_response</c> (i64), <c>ttl_response</c> (i32).
/// </summary>
internal sealed class ReadResponse : ReplicaResponse
{
    public byte[] Value { get; set; } = [];

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        w.BlobField(2, Value);
        Tail(w, this);
    }

    public static ReadResponse Read(ref ThriftReader r)
    {
        var m = new ReadResponse();
        while (r.Field(out var t, out var id))
        {
            if (id == 2)
            {
                m.Value = r.BlobOrSkip(t);
            }
            else
            {
                ReadCommon(ref r, m, t, id);
            }
        }

        return m;
    }

    internal static void Tail(ThriftWriter w, ReplicaResponse m)
    {
        w.I32Field(3, m.AppId);
        w.I32Field(4, m.PartitionIndex);
        w.StringField(6, m.Server);
        w.Stop();
    }

    internal static void ReadCommon(ref ThriftReader r, ReplicaResponse m, ThriftType t, short id)
    {
        switch (id)
        {
            case 1: m.Error = r.I32(t); break;
            case 3: m.AppId = r.I32(t); break;
            case 4: m.PartitionIndex = r.I32(t); break;
            case 6: m.Server = r.String(t); break;
            default: r.Skip(t); break;
        }
    }
}

/// <summary><c>count_response</c> (sortkey_count).</summary>
internal sealed class CountResponse : ReplicaResponse
{
    public long Count { get; set; }

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        w.I64Field(2, Count);
        ReadResponse.Tail(w, this);
    }

    public static CountResponse Read(ref ThriftReader r)
    {
        var m = new CountResponse();
        while (r.Field(out var t, out var id))
        {
            if (id == 2)
            {
                m.Count = r.I64(t);
            }
            else
            {
                ReadResponse.ReadCommon(ref r, m, t, id);
            }
        }

        return m;
    }
}

/// <summary><c>ttl_response</c>: seconds left, or -1 for no TTL.</summary>
internal sealed class TtlResponse : ReplicaResponse
{
    public int TtlSeconds { get; set; }

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        w.I32Field(2, TtlSeconds);
        ReadResponse.Tail(w, this);
    }

    public static TtlResponse Read(ref ThriftReader r)
    {
        var m = new TtlResponse();
        while (r.Field(out var t, out var id))
        {
            if (id == 2)
            {
                m.TtlSeconds = r.I32(t);
            }
            else
            {
                ReadResponse.ReadCommon(ref r, m, t, id);
            }
        }

        return m;
    }
}

/// <summary><c>multi_get_request</c>.</summary>
internal sealed class MultiGetRequest : IThriftMessage
{
    public byte[] HashKey { get; set; } = [];

    public List<byte[]> SortKeys { get; set; } = [];

    public int MaxKvCount { get; set; }

    public int MaxKvSize { get; set; }

    public bool NoValue { get; set; }

    public byte[] StartSortKey { get; set; } = [];

    public byte[] StopSortKey { get; set; } = [];

    public bool StartInclusive { get; set; }

    public bool StopInclusive { get; set; }

    public int SortKeyFilterType { get; set; }

    public byte[] SortKeyFilterPattern { get; set; } = [];

    public bool Reverse { get; set; }

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.BlobField(1, HashKey);
        w.BlobListField(2, SortKeys);
        w.I32Field(3, MaxKvCount);
        w.I32Field(4, MaxKvSize);
        w.BoolField(5, NoValue);
        w.BlobField(6, StartSortKey);
        w.BlobField(7, StopSortKey);
        w.BoolField(8, StartInclusive);
        w.BoolField(9, StopInclusive);
        w.I32Field(10, SortKeyFilterType);
        w.BlobField(11, SortKeyFilterPattern);
        w.BoolField(12, Reverse);
        w.Stop();
    }

    public static MultiGetRequest Read(ref ThriftReader r)
    {
        var m = new MultiGetRequest();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.HashKey = r.BlobOrSkip(t); break;
                case 2: m.SortKeys = r.BlobList(t); break;
                case 3: m.MaxKvCount = r.I32(t); break;
                case 4: m.MaxKvSize = r.I32(t); break;
                case 5: m.NoValue = r.Bool(t); break;
                case 6: m.StartSortKey = r.BlobOrSkip(t); break;
                case 7: m.StopSortKey = r.BlobOrSkip(t); break;
                case 8: m.StartInclusive = r.Bool(t); break;
                case 9: m.StopInclusive = r.Bool(t); break;
                case 10: m.SortKeyFilterType = r.I32(t); break;
                case 11: m.SortKeyFilterPattern = r.BlobOrSkip(t); break;
                case 12: m.Reverse = r.Bool(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>multi_get_response</c>: keys are bare sort keys.</summary>
internal sealed class MultiGetResponse : ReplicaResponse
{
    public List<KeyValue> Kvs { get; set; } = [];

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        KeyValue.WriteList(w, 2, Kvs);
        ReadResponse.Tail(w, this);
    }

    public static MultiGetResponse Read(ref ThriftReader r)
    {
        var m = new MultiGetResponse();
        while (r.Field(out var t, out var id))
        {
            if (id == 2)
            {
                m.Kvs = KeyValue.ReadList(ref r, t);
            }
            else
            {
                ReadResponse.ReadCommon(ref r, m, t, id);
            }
        }

        return m;
    }
}

/// <summary><c>batch_get_request</c>: keys that all live in the partition it is sent to.</summary>
internal sealed class BatchGetRequest : IThriftMessage
{
    public List<(byte[] HashKey, byte[] SortKey)> Keys { get; set; } = [];

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.FieldHeader(ThriftType.List, 1);
        w.ListHeader(ThriftType.Struct, Keys.Count);
        foreach (var (hashKey, sortKey) in Keys)
        {
            w.BlobField(1, hashKey);
            w.BlobField(2, sortKey);
            w.Stop();
        }

        w.Stop();
    }

    public static BatchGetRequest Read(ref ThriftReader r)
    {
        var m = new BatchGetRequest();
        while (r.Field(out var t, out var id))
        {
            if (id != 1 || t != ThriftType.List)
            {
                r.Skip(t);
                continue;
            }

            var (element, count) = r.ListHeader();
            for (var i = 0; i < count; i++)
            {
                if (element != ThriftType.Struct)
                {
                    r.Skip(element);
                    continue;
                }

                byte[] hashKey = [], sortKey = [];
                while (r.Field(out var ft, out var fid))
                {
                    switch (fid)
                    {
                        case 1: hashKey = r.BlobOrSkip(ft); break;
                        case 2: sortKey = r.BlobOrSkip(ft); break;
                        default: r.Skip(ft); break;
                    }
                }

                m.Keys.Add((hashKey, sortKey));
            }
        }

        return m;
    }
}

/// <summary><c>batch_get_response</c>: found records only.</summary>
internal sealed class BatchGetResponse : ReplicaResponse
{
    public List<(byte[] HashKey, byte[] SortKey, byte[] Value)> Data { get; set; } = [];

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        w.FieldHeader(ThriftType.List, 2);
        w.ListHeader(ThriftType.Struct, Data.Count);
        foreach (var (hashKey, sortKey, value) in Data)
        {
            w.BlobField(1, hashKey);
            w.BlobField(2, sortKey);
            w.BlobField(3, value);
            w.Stop();
        }

        ReadResponse.Tail(w, this);
    }

    public static BatchGetResponse Read(ref ThriftReader r)
    {
        var m = new BatchGetResponse();
        while (r.Field(out var t, out var id))
        {
            if (id != 2 || t != ThriftType.List)
            {
                ReadResponse.ReadCommon(ref r, m, t, id);
                continue;
            }

            var (element, count) = r.ListHeader();
            for (var i = 0; i < count; i++)
            {
                if (element != ThriftType.Struct)
                {
                    r.Skip(element);
                    continue;
                }

                byte[] hashKey = [], sortKey = [], value = [];
                while (r.Field(out var ft, out var fid))
                {
                    switch (fid)
                    {
                        case 1: hashKey = r.BlobOrSkip(ft); break;
                        case 2: sortKey = r.BlobOrSkip(ft); break;
                        case 3: value = r.BlobOrSkip(ft); break;
                        default: r.Skip(ft); break;
                    }
                }

                m.Data.Add((hashKey, sortKey, value));
            }
        }

        return m;
    }
}
