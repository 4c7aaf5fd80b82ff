using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary><c>key_value</c>: key, value, and (scans with return_expire_ts) the expiry.</summary>
internal sealed class KeyValue
{
    public byte[] Key { get; set; } = [];

    public byte[] Value { get; set; } = [];

    public int? ExpireTs { get; set; }

    public void Write(ThriftWriter w)
    {
        w.BlobField(1, Key);
        w.BlobField(2, Value);
        if (ExpireTs is { } expire)
        {
            w.I32Field(3, expire);
        }

        w.Stop();
    }

    public static KeyValue Read(ref ThriftReader r)
    {
        var m = new KeyValue();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Key = r.BlobOrSkip(t); break;
                case 2: m.Value = r.BlobOrSkip(t); break;
                case 3: m.ExpireTs = r.I32(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }

    public static void WriteList(ThriftWriter w, short id, List<KeyValue> list)
    {
        w.FieldHeader(ThriftType.List, id);
        w.ListHeader(ThriftType.Struct, list.Count);
        foreach (var kv in list)
        {
            kv.Write(w);
        }
    }

    public static List<KeyValue> ReadList(ref ThriftReader r, ThriftType t)
    {
        var list = new List<KeyValue>();
        if (t != ThriftType.List)
        {
            r.Skip(t);
            return list;
        }

        var (element, count) = r.ListHeader();
        for (var i = 0; i < count; i++)
        {
            if (element != ThriftType.Struct)
            {
                r.Skip(element);
                continue;
            }

            list.Add(Read(ref r));
        }

        return list;
    }
}

/// <summary><c>update_request</c> (put).</summary>
internal sealed class UpdateRequest : IThriftMessage
{
    public byte[] Key { get; set; } = [];

    public byte[] Value { get; set; } = [];

    public int ExpireTs { get; set; }

    /// <summary>Server-internal translated writes set it; they are never answered.</summary>
    public int Type { get; set; }

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.BlobField(1, Key);
        w.BlobField(2, Value);
        w.I32Field(3, ExpireTs);
        w.Stop();
    }

    public static UpdateRequest Read(ref ThriftReader r)
    {
        var m = new UpdateRequest();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Key = r.BlobOrSkip(t); break;
                case 2: m.Value = r.BlobOrSkip(t); break;
                case 3: m.ExpireTs = r.I32(t); break;
                case 4: m.Type = r.I32(t); break;
                case 7: r.BlobOrSkip(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary>The fields every replica response shares after its payload.</summary>
internal abstract class ReplicaResponse : IThriftMessage
{
    public int Error { get; set; }

    public int AppId { get; set; }

    public int PartitionIndex { get; set; }

    public string Server { get; set; } = "";

    public ThriftType FieldType => ThriftType.Struct;

    public abstract void Write(ThriftWriter w);
}

/// <summary><c>update_response</c> (put, multi_put, remove).</summary>
internal sealed class UpdateResponse : ReplicaResponse
{
    public long Decree { get; set; }

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        w.I32Field(2, AppId);
        w.I32Field(3, PartitionIndex);
        w.I64Field(4, Decree);
        w.StringField(5, Server);
        w.Stop();
    }

    public static UpdateResponse Read(ref ThriftReader r)
    {
        var m = new UpdateResponse();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Error = r.I32(t); break;
                case 2: m.AppId = r.I32(t); break;
                case 3: m.PartitionIndex = r.I32(t); break;
                case 4: m.Decree = r.I64(t); break;
                case 5: m.Server = r.String(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>multi_put_request</c>.</summary>
internal sealed class MultiPutRequest : IThriftMessage
{
    public byte[] HashKey { get; set; } = [];

    public List<KeyValue> Kvs { get; set; } = [];

    public int ExpireTs { get; set; }

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.BlobField(1, HashKey);
        KeyValue.WriteList(w, 2, Kvs);
        w.I32Field(3, ExpireTs);
        w.Stop();
    }

    public static MultiPutRequest Read(ref ThriftReader r)
    {
        var m = new MultiPutRequest();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.HashKey = r.BlobOrSkip(t); break;
                case 2: m.Kvs = KeyValue.ReadList(ref r, t); break;
                case 3: m.ExpireTs = r.I32(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>multi_remove_request</c>.</summary>
internal sealed class MultiRemoveRequest : IThriftMessage
{
    public byte[] HashKey { get; set; } = [];

    public List<byte[]> SortKeys { get; set; } = [];

    public long MaxCount { get; set; } = 100;

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.BlobField(1, HashKey);
        w.BlobListField(2, SortKeys);
        w.I64Field(3, MaxCount);
        w.Stop();
    }

    public static MultiRemoveRequest Read(ref ThriftReader r)
    {
        var m = new MultiRemoveRequest();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.HashKey = r.BlobOrSkip(t); break;
                case 2: m.SortKeys = r.BlobList(t); break;
                case 3: m.MaxCount = r.I64(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>multi_remove_response</c>: <see cref="Count"/> is the number of sort keys in the request.</summary>
internal sealed class MultiRemoveResponse : ReplicaResponse
{
    public long Count { get; set; }

    public long Decree { get; set; }

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        w.I64Field(2, Count);
        w.I32Field(3, AppId);
        w.I32Field(4, PartitionIndex);
        w.I64Field(5, Decree);
        w.StringField(6, Server);
        w.Stop();
    }

    public static MultiRemoveResponse Read(ref ThriftReader r)
    {
        var m = new MultiRemoveResponse();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Error = r.I32(t); break;
                case 2: m.Count = r.I64(t); break;
                case 3: m.AppId = r.I32(t); break;
                case 4: m.PartitionIndex = r.I32(t); break;
                case 5: m.Decree = r.I64(t); break;
                case 6: m.Server = r.String(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>incr_request</c>: expire 0 keeps the record's TTL, &gt; 0 sets it, &lt; 0 clears it.</summary>
internal sealed class IncrRequest : IThriftMessage
{
    public byte[] Key { get; set; } = [];

    public long Increment { get; set; }

    public int ExpireTs { get; set; }

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.BlobField(1, Key);
        w.I64Field(2, Increment);
        w.I32Field(3, ExpireTs);
        w.Stop();
    }

    public static IncrRequest Read(ref ThriftReader r)
    {
        var m = new IncrRequest();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Key = r.BlobOrSkip(t); break;
                case 2: m.Increment = r.I64(t); break;
                case 3: m.ExpireTs = r.I32(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>incr_response</c>.</summary>
internal sealed class IncrResponse : ReplicaResponse
{
    public long NewValue { get; set; }

    public long Decree { get; set; }

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        w.I64Field(2, NewValue);
        w.I32Field(3, AppId);
        w.I32Field(4, PartitionIndex);
        w.I64Field(5, Decree);
        w.StringField(6, Server);
        w.Stop();
    }

    public static IncrResponse Read(ref ThriftReader r)
    {
        var m = new IncrResponse();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Error = r.I32(t); break;
                case 2: m.NewValue = r.I64(t); break;
                case 3: m.AppId = r.I32(t); break;
                case 4: m.PartitionIndex = r.I32(t); break;
                case 5: m.Decree = r.I64(t); break;
                case 6: m.Server = r.String(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}
