namespace ReactiveKv.Amqp;

/// <summary>
/// The property list of a basic content header (spec §4.2.6.1): a 16-bit flag word, highest bit first for the
/// first property, bit 0 saying another flag word follows; then only the present properties, in order.
/// </summary>
internal static class BasicPropertiesCodec
{
    private const ushort ContinuationBit = 1;

    // Content-type is bit 15 and cluster-id bit 2; bit 1 belongs to no property.
    private const int UnassignedMask = 0b10;

    public static int Size(BasicProperties? p)
    {
        if (p is null)
        {
            return 2;
        }

        return 2 + Short(p.ContentType) + Short(p.ContentEncoding) + (p.Headers is null ? 0 : AmqpSize.Table(p.Headers))
            + (p.DeliveryMode is null ? 0 : 1) + (p.Priority is null ? 0 : 1) + Short(p.CorrelationId) + Short(p.ReplyTo)
            + Short(p.Expiration) + Short(p.MessageId) + (p.Timestamp is null ? 0 : 8) + Short(p.Type) + Short(p.UserId)
            + Short(p.AppId) + Short(p.ClusterId);
    }

    public static void Write(AmqpWriter writer, BasicProperties? p)
    {
        writer.WriteShort(Flags(p));
        if (p is null)
        {
            return;
        }

        WriteShort(writer, p.ContentType);
        WriteShort(writer, p.ContentEncoding);
        if (p.Headers is not null)
        {
            writer.WriteTable(p.Headers);
        }

        WriteOctet(writer, p.DeliveryMode);
        WriteOctet(writer, p.Priority);
        WriteShort(writer, p.CorrelationId);
        WriteShort(writer, p.ReplyTo);
        WriteShort(writer, p.Expiration);
        WriteShort(writer, p.MessageId);
        if (p.Timestamp is { } timestamp)
        {
            writer.WriteLongLong((ulong)timestamp.UnixSeconds);
        }

        WriteShort(writer, p.Type);
        WriteShort(writer, p.UserId);
        WriteShort(writer, p.AppId);
        WriteShort(writer, p.ClusterId);
    }

    public static BasicProperties Read(ref AmqpReader reader)
    {
        var flags = ReadFlags(ref reader);
        return new BasicProperties
        {
            ContentType = Has(flags, 15) ? reader.ReadShortString() : null,
            ContentEncoding = Has(flags, 14) ? reader.ReadShortString() : null,
            Headers = Has(flags, 13) ? reader.ReadTable() : null,
            DeliveryMode = Has(flags, 12) ? reader.ReadOctet() : null,
            Priority = Has(flags, 11) ? reader.ReadOctet() : null,
            CorrelationId = Has(flags, 10) ? reader.ReadShortString() : null,
            ReplyTo = Has(flags, 9) ? reader.ReadShortString() : null,
            Expiration = Has(flags, 8) ? reader.ReadShortString() : null,
            MessageId = Has(flags, 7) ? reader.ReadShortString() : null,
            Timestamp = Has(flags, 6) ? new AmqpTimestamp((long)reader.ReadLongLong()) : null,
            Type = Has(flags, 5) ? reader.ReadShortString() : null,
            UserId = Has(flags, 4) ? reader.ReadShortString() : null,
            AppId = Has(flags, 3) ? reader.ReadShortString() : null,
            ClusterId = Has(flags, 2) ? reader.ReadShortString() : null,
        };
    }

    private static ushort Flags(BasicProperties? p) => p is null ? (ushort)0 : (ushort)(
        Flag(p.ContentType is not null, 15) | Flag(p.ContentEncoding is not null, 14) | Flag(p.Headers is not null, 13)
        | Flag(p.DeliveryMode is not null, 12) | Flag(p.Priority is not null, 11) | Flag(p.CorrelationId is not null, 10)
        | Flag(p.ReplyTo is not null, 9) | Flag(p.Expiration is not null, 8) | Flag(p.MessageId is not null, 7)
        | Flag(p.Timestamp is not null, 6) | Flag(p.Type is not null, 5) | Flag(p.UserId is not null, 4)
        | Flag(p.AppId is not null, 3) | Flag(p.ClusterId is not null, 2));

    private static int Flag(bool present, int bit) => present ? 1 << bit : 0;

    private static bool Has(ushort flags, int bit) => (flags & (1 << bit)) != 0;

    // Basic has 14 properties, so a continuation word may only repeat "nothing more"; a flag for a property this
    // codec cannot know would leave the rest of the list unreadable, so it fails the frame.
    private static ushort ReadFlags(ref AmqpReader reader)
    {
        var flags = reader.ReadShort();
        var more = flags;
        while ((more & ContinuationBit) != 0)
        {
            more = reader.ReadShort();
            if ((more & ~ContinuationBit) != 0)
            {
                throw new AmqpFrameException($"A basic content header flags properties beyond the 14 basic has (continuation word 0x{more:X4}).");
            }
        }

        if ((flags & UnassignedMask) != 0)
        {
            throw new AmqpFrameException($"A basic content header flags an unassigned property (flags 0x{flags:X4}).");
        }

        return flags;
    }

    private static int Short(string? value) => value is null ? 0 : AmqpSize.ShortString(value);

    private static void WriteShort(AmqpWriter writer, string? value)
    {
        if (value is not null)
        {
            writer.WriteShortString(value);
        }
    }

    private static void WriteOctet(AmqpWriter writer, byte? value)
    {
        if (value is { } octet)
        {
            writer.WriteOctet(octet);
        }
    }
}
