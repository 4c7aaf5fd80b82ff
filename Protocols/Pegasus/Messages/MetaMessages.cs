using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary><c>query_cfg_request</c>: a table's partition configuration.</summary>
internal sealed class QueryConfigRequest : IThriftMessage
{
    public string AppName { get; set; } = "";

    public List<int> PartitionIndices { get; set; } = [];

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.StringField(1, AppName);
        w.FieldHeader(ThriftType.List, 2);
        w.ListHeader(ThriftType.I32, PartitionIndices.Count);
        foreach (var index in PartitionIndices)
        {
            w.I32(index);
        }

        w.Stop();
    }

    public static QueryConfigRequest Read(ref ThriftReader r)
    {
        var m = new QueryConfigRequest();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.AppName = r.String(t); break;
                case 2 when t == ThriftType.List:
                    var (element, count) = r.ListHeader();
                    for (var i = 0; i < count; i++)
                    {
                        if (element == ThriftType.I32)
                        {
                            m.PartitionIndices.Add(r.I32());
                        }
                        else
                        {
                            r.Skip(element);
                        }
                    }

                    break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}

/// <summary><c>host_port</c>: host string, i16 port, byte type (1 = IPv4); a special type carried under type byte 12.</summary>
internal readonly record struct HostPort(string Host, short Port, byte Type)
{
    public void Write(ThriftWriter w)
    {
        w.String(Host);
        w.I16(Port);
        w.Byte(Type);
    }

    public static HostPort Read(ref ThriftReader r) => new(r.String(), r.I16(), r.Byte());

    public static HostPort From(long rpcAddress) => RpcAddress.Decode(rpcAddress) is { } endpoint
        ? new(endpoint.Address.ToString(), (short)(ushort)endpoint.Port, 1)
        : new("", 0, 0);
}

/// <summary><c>partition_configuration</c>, with the host_port fields 9..11 of servers since 2.5 (optional on write, always understood on read).</summary>
internal sealed class PartitionConfiguration
{
    public Gpid Pid { get; set; }

    public long Ballot { get; set; }

    public int MaxReplicaCount { get; set; }

    public long Primary { get; set; }

    public List<long> Secondaries { get; set; } = [];

    public List<long> LastDrops { get; set; } = [];

    public long LastCommittedDecree { get; set; }

    public int PartitionFlags { get; set; }

    public HostPort? HpPrimary { get; set; }

    public List<HostPort>? HpSecondaries { get; set; }

    public List<HostPort>? HpLastDrops { get; set; }

    public void Write(ThriftWriter w)
    {
        w.SpecialI64Field(1, Pid.Encode());
        w.I64Field(2, Ballot);
        w.I32Field(3, MaxReplicaCount);
        w.SpecialI64Field(4, Primary);
        AddressList(w, 5, Secondaries);
        AddressList(w, 6, LastDrops);
        w.I64Field(7, LastCommittedDecree);
        w.I32Field(8, PartitionFlags);
        if (HpPrimary is { } primary)
        {
            w.FieldHeader(ThriftType.Struct, 9);
            primary.Write(w);
        }

        HostPortList(w, 10, HpSecondaries);
        HostPortList(w, 11, HpLastDrops);
        w.Stop();
    }

    public static PartitionConfiguration Read(ref ThriftReader r)
    {
        var m = new PartitionConfiguration();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Pid = Gpid.Decode(r.SpecialI64(t)); break;
                case 2: m.Ballot = r.I64(t); break;
                case 3: m.MaxReplicaCount = r.I32(t); break;
                case 4: m.Primary = r.SpecialI64(t); break;
                case 5: m.Secondaries = ReadAddresses(ref r, t); break;
                case 6: m.LastDrops = ReadAddresses(ref r, t); break;
                case 7: m.LastCommittedDecree = r.I64(t); break;
                case 8: m.PartitionFlags = r.I32(t); break;

                // host_port cannot be skipped generically (its payload is not a struct): decode by id.
                case 9 when t == ThriftType.Struct: m.HpPrimary = HostPort.Read(ref r); break;
                case 10 when t == ThriftType.List: m.HpSecondaries = ReadHostPorts(ref r); break;
                case 11 when t == ThriftType.List: m.HpLastDrops = ReadHostPorts(ref r); break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }

    private static void AddressList(ThriftWriter w, short id, List<long> addresses)
    {
        w.FieldHeader(ThriftType.List, id);
        w.ListHeader(ThriftType.Struct, addresses.Count);
        foreach (var address in addresses)
        {
            w.I64(address);
        }
    }

    private static void HostPortList(ThriftWriter w, short id, List<HostPort>? list)
    {
        if (list is null)
        {
            return;
        }

        w.FieldHeader(ThriftType.List, id);
        w.ListHeader(ThriftType.Struct, list.Count);
        foreach (var hostPort in list)
        {
            hostPort.Write(w);
        }
    }

    private static List<long> ReadAddresses(ref ThriftReader r, ThriftType t)
    {
        var list = new List<long>();
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

            list.Add(r.I64());
        }

        return list;
    }

    private static List<HostPort> ReadHostPorts(ref ThriftReader r)
    {
        var (element, count) = r.ListHeader();
        if (element != ThriftType.Struct)
        {
            throw new ProtocolErrorException($"A host_port list has element type {element}.");
        }

        var list = new List<HostPort>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(HostPort.Read(ref r));
        }

        return list;
    }
}

/// <summary><c>query_cfg_response</c>. Its <see cref="Err"/> carries meta-level failures under a frame header of ERR_OK.</summary>
internal sealed class QueryConfigResponse : IThriftMessage
{
    public string Err { get; set; } = DsnErrors.Ok;

    public int AppId { get; set; }

    public int PartitionCount { get; set; }

    public bool IsStateful { get; set; }

    public List<PartitionConfiguration> Partitions { get; set; } = [];

    public ThriftType FieldType => ThriftType.Struct;

    public void Write(ThriftWriter w)
    {
        w.ErrorCodeField(1, Err);
        w.I32Field(2, AppId);
        w.I32Field(3, PartitionCount);
        w.BoolField(4, IsStateful);
        w.FieldHeader(ThriftType.List, 5);
        w.ListHeader(ThriftType.Struct, Partitions.Count);
        foreach (var partition in Partitions)
        {
            partition.Write(w);
        }

        w.Stop();
    }

    public static QueryConfigResponse Read(ref ThriftReader r)
    {
        var m = new QueryConfigResponse();
        while (r.Field(out var t, out var id))
        {
            switch (id)
            {
                case 1: m.Err = r.ErrorCode(t); break;
                case 2: m.AppId = r.I32(t); break;
                case 3: m.PartitionCount = r.I32(t); break;
                case 4: m.IsStateful = r.Bool(t); break;
                case 5 when t == ThriftType.List:
                    var (element, count) = r.ListHeader();
                    for (var i = 0; i < count; i++)
                    {
                        if (element != ThriftType.Struct)
                        {
                            r.Skip(element);
                            continue;
                        }

                        m.Partitions.Add(PartitionConfiguration.Read(ref r));
                    }

                    break;
                default: r.Skip(t); break;
            }
        }

        return m;
    }
}
