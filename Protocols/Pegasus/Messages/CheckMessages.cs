using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary><c>check_and_set_request</c>.</summary>
internal sealed class CheckAndSetRequest : IThriftMessage
{
    public byte[] HashKey { get; set; } = [];

    public byte[] CheckSortKey { get; set; } = [];

    public int CheckType { get; set; }

    public byte[] CheckOperand { get; set; } = [];

    public bool SetDiffSortKey { get; set; }

    public byte[] SetSortKey { get; set; } = [];

    public byte[] SetValue { get; set; } = [];

    public int SetExpireTs { get; set; }

    public bool ReturnCheckValue { get; set; }

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.BlobField(1, HashKey);
        w.BlobField(2, CheckSortKey);
        w.I32Field(3, CheckType);
        w.BlobField(4, CheckOperand);
        w.BoolField(5, SetDiffSortKey);
        w.BlobField(6, SetSortKey);
        w.BlobField(7, SetValue);
        w.I32Field(8, SetExpireTs);
        w.BoolField(9, ReturnCheckValue);
        w.Stop();
    }

    public static CheckAndSetRequest Read(ref ThriftReader r)
    {
        var m = new CheckAndSetRequest();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.HashKey = r.BlobOrSkip(t); break;
                case 2: m.CheckSortKey = r.BlobOrSkip(t); break;
                case 3: m.CheckType = r.I32(t); break;
                case 4: m.CheckOperand = r.BlobOrSkip(t); break;
                case 5: m.SetDiffSortKey = r.Bool(t); break;
                case 6: m.SetSortKey = r.BlobOrSkip(t); break;
                case 7: m.SetValue = r.BlobOrSkip(t); break;
                case 8: m.SetExpireTs = r.I32(t); break;
                case 9: m.ReturnCheckValue = r.Bool(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>mutate</c>: put (0) or delete (1) of one sort key.</summary>
internal sealed class MutateOperation
{
    public int Operation { get; set; }

    public byte[] SortKey { get; set; } = [];

    public byte[] Value { get; set; } = [];

    public int SetExpireTs { get; set; }

    public void Write(ThriftWriter w)
    {
        w.I32Field(1, Operation);
        w.BlobField(2, SortKey);
        w.BlobField(3, Value);
        w.I32Field(4, SetExpireTs);
        w.Stop();
    }

    public static MutateOperation Read(ref ThriftReader r)
    {
        var m = new MutateOperation();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Operation = r.I32(t); break;
                case 2: m.SortKey = r.BlobOrSkip(t); break;
                case 3: m.Value = r.BlobOrSkip(t); break;
                case 4: m.SetExpireTs = r.I32(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>check_and_mutate_request</c>.</summary>
internal sealed class CheckAndMutateRequest : IThriftMessage
{
    public byte[] HashKey { get; set; } = [];

    public byte[] CheckSortKey { get; set; } = [];

    public int CheckType { get; set; }

    public byte[] CheckOperand { get; set; } = [];

    public List<MutateOperation> Mutations { get; set; } = [];

    public bool ReturnCheckValue { get; set; }

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.BlobField(1, HashKey);
        w.BlobField(2, CheckSortKey);
        w.I32Field(3, CheckType);
        w.BlobField(4, CheckOperand);
        w.FieldHeader(ThriftType.List, 5);
        w.ListHeader(ThriftType.Struct, Mutations.Count);
        foreach (var mutation in Mutations)
        {
            mutation.Write(w);
        }

        w.BoolField(6, ReturnCheckValue);
        w.Stop();
    }

    public static CheckAndMutateRequest Read(ref ThriftReader r)
    {
        var m = new CheckAndMutateRequest();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.HashKey = r.BlobOrSkip(t); break;
                case 2: m.CheckSortKey = r.BlobOrSkip(t); break;
                case 3: m.CheckType = r.I32(t); break;
                case 4: m.CheckOperand = r.BlobOrSkip(t); break;
                case 5 when t == ThriftType.List:
                    var (element, count) = r.ListHeader();
                    for (var i = 0; i < count; i++)
                    {
                        if (element != ThriftType.Struct)
                        {
                            r.Skip(element);
                            continue;
                        }

                        m.Mutations.Add(MutateOperation.Read(ref r));
                    }

                    break;
                case 6: m.ReturnCheckValue = r.Bool(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>check_and_set_response</c> and <c>check_and_mutate_response</c> (same layout).</summary>
internal sealed class CheckAndSetResponse : ReplicaResponse
{
    public bool CheckValueReturned { get; set; }

    public bool CheckValueExist { get; set; }

    public byte[] CheckValue { get; set; } = [];

    public long Decree { get; set; }

    public override void Write(ThriftWriter w)
    {
        w.I32Field(1, Error);
        w.BoolField(2, CheckValueReturned);
        w.BoolField(3, CheckValueExist);
        w.BlobField(4, CheckValue);
        w.I32Field(5, AppId);
        w.I32Field(6, PartitionIndex);
        w.I64Field(7, Decree);
        w.StringField(8, Server);
        w.Stop();
    }

    public static CheckAndSetResponse Read(ref ThriftReader r)
    {
        var m = new CheckAndSetResponse();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Error = r.I32(t); break;
                case 2: m.CheckValueReturned = r.Bool(t); break;
                case 3: m.CheckValueExist = r.Bool(t); break;
                case 4: m.CheckValue = r.BlobOrSkip(t); break;
                case 5: m.AppId = r.I32(t); break;
                case 6: m.PartitionIndex = r.I32(t); break;
                case 7: m.Decree = r.I64(t); break;
                case 8: m.Server = r.String(t); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}
