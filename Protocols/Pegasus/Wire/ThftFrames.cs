using System.Buffers;
using System.Buffers.Binary;
using ReactiveKv.Pegasus.Thrift;

namespace ReactiveKv.Pegasus;

/// <summary>
/// THFT framing. Requests: a v0 (48-byte) or v1 (16 bytes + meta struct) header, then a thrift CALL message whose
/// args struct has one field. Responses: an i32 length that counts itself, the rDSN error name, a REPLY message
/// header, and (on ERR_OK) a result struct whose single field has id 0.
/// </summary>
internal static class ThftFrames
{
    public const uint Magic = 0x54484654; // "THFT"
    private const int StrictCall = unchecked((int)0x80010001);
    private const int StrictReply = unchecked((int)0x80010002);

    /// <summary>Encodes a whole request; <paramref name="scratch"/> holds the body while its length is measured.</summary>
    public static void WriteRequest(IBufferWriter<byte> output, ArrayBufferWriter<byte> scratch, in RequestHeader header, string name, int seqid, IThriftMessage args)
    {
        scratch.ResetWrittenCount();
        var body = new ThriftWriter(scratch);
        body.I32(StrictCall);
        body.String(name);
        body.I32(seqid);
        body.FieldHeader(args.FieldType, 1);
        args.Write(body);
        body.Stop();

        var w = new ThriftWriter(output);
        w.I32(unchecked((int)Magic));
        w.I32(header.Version);
        if (header.Version == 0)
        {
            w.I32(RequestHeader.V0Length);
            w.I32(0);
            w.I32(scratch.WrittenCount);
            w.I32(0);
            w.I32(header.AppId);
            w.I32(header.PartitionIndex);
            w.I32(header.ClientTimeoutMs);
            w.I32(unchecked(header.AppId * 7919 + header.PartitionIndex));
            w.I64((long)header.PartitionHash);
        }
        else
        {
            const int MetaLength = 37;
            w.I32(MetaLength);
            w.I32(scratch.WrittenCount);
            w.I32Field(1, header.AppId);
            w.I32Field(2, header.PartitionIndex);
            w.I32Field(3, header.ClientTimeoutMs);
            w.I64Field(4, (long)header.PartitionHash);
            w.BoolField(5, header.IsBackupRequest);
            w.Stop();
        }

        output.Write(scratch.WrittenSpan);
    }

    /// <summary>Encodes a whole response; <paramref name="result"/> is written only when the error is ERR_OK.</summary>
    public static void WriteResponse(IBufferWriter<byte> output, ArrayBufferWriter<byte> scratch, string error, string name, int seqid, IThriftMessage? result)
    {
        scratch.ResetWrittenCount();
        var body = new ThriftWriter(scratch);
        body.String(error);
        body.I32(StrictReply);
        body.String(name + "_ACK");
        body.I32(seqid);
        if (result is not null)
        {
            body.FieldHeader(ThriftType.Struct, 0);
            result.Write(body);
            body.Stop();
        }

        new ThriftWriter(output).I32(scratch.WrittenCount + 4);
        output.Write(scratch.WrittenSpan);
    }

    /// <summary>The length of the request frame at the start of <paramref name="buffer"/>, or 0 when more bytes are needed.</summary>
    public static long RequestLength(in ReadOnlySequence<byte> buffer, long maxFrame)
    {
        if (buffer.Length < RequestHeader.V1FixedLength)
        {
            return 0;
        }

        Span<byte> fixedPart = stackalloc byte[RequestHeader.V1FixedLength];
        buffer.Slice(0, RequestHeader.V1FixedLength).CopyTo(fixedPart);
        if (BinaryPrimitives.ReadUInt32BigEndian(fixedPart) != Magic)
        {
            throw new ProtocolErrorException("A Pegasus request does not start with THFT.");
        }

        var version = BinaryPrimitives.ReadInt32BigEndian(fixedPart[4..]);
        long total;
        if (version == 0)
        {
            if (BinaryPrimitives.ReadInt32BigEndian(fixedPart[8..]) != RequestHeader.V0Length)
            {
                throw new ProtocolErrorException("A THFT v0 header must say it is 48 bytes long.");
            }

            if (buffer.Length < 20)
            {
                return 0;
            }

            Span<byte> length = stackalloc byte[4];
            buffer.Slice(16, 4).CopyTo(length);
            total = RequestHeader.V0Length + (long)(uint)BinaryPrimitives.ReadInt32BigEndian(length);
        }
        else if (version == 1)
        {
            total = RequestHeader.V1FixedLength + (long)(uint)BinaryPrimitives.ReadInt32BigEndian(fixedPart[8..]) + (uint)BinaryPrimitives.ReadInt32BigEndian(fixedPart[12..]);
        }
        else
        {
            throw new ProtocolErrorException($"THFT header version {version} is unknown.");
        }

        if (total > maxFrame)
        {
            throw FrameTooLargeException.Exceeds(
                $"A Pegasus request of {total} bytes", "PegasusServerOptions.MaxFrameBytes", FrameTooLargeException.Bytes(maxFrame),
                "raise PegasusServerOptions.MaxFrameBytes to accept it");
        }

        return buffer.Length >= total ? total : 0;
    }

    /// <summary>Parses a complete request frame up to its args value; <paramref name="reader"/> is left at the value.</summary>
    public static (RequestHeader Header, string Name, int Seqid) ReadRequest(ref ThriftReader reader)
    {
        reader.Take(4);
        var version = reader.I32();
        RequestHeader header;
        if (version == 0)
        {
            // Header length, header CRC, body length, body CRC: the length was used for framing, the CRCs are ignored.
            reader.Take(16);
            var appId = reader.I32();
            var pidx = reader.I32();
            var timeout = reader.I32();
            reader.I32();
            var hash = (ulong)reader.I64();
            header = new RequestHeader(0, appId, pidx, timeout, hash, false);
        }
        else
        {
            reader.I32();
            reader.I32();
            int appId = 0, pidx = 0, timeout = 0;
            long hash = 0;
            var backup = false;
            while (reader.Field(out var t, out var id))
            {
                switch (id)
                {
                    case 1: appId = reader.I32(t); break;
                    case 2: pidx = reader.I32(t); break;
                    case 3: timeout = reader.I32(t); break;
                    case 4: hash = reader.I64(t); break;
                    case 5: backup = reader.Bool(t); break;
                    default: reader.Skip(t); break;
                }
            }

            header = new RequestHeader(1, appId, pidx, timeout, (ulong)hash, backup);
        }

        var (name, seqid) = ReadMessageHeader(ref reader);

        // The server reads one field header and ignores its id and type; the value's decoder follows.
        reader.Field(out _, out _);
        return (header, name, seqid);
    }

    /// <summary>The length of the response frame at the start of <paramref name="buffer"/> (its prefix counts itself), or 0 when more bytes are needed.</summary>
    public static long ResponseLength(in ReadOnlySequence<byte> buffer, long maxFrame)
    {
        if (buffer.Length < 4)
        {
            return 0;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var total = (long)(uint)BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (total < 4 + 4 + 4 + 4 + 4)
        {
            throw new ProtocolErrorException($"A Pegasus response claims {total} bytes, too few for its header.");
        }

        if (total > maxFrame)
        {
            throw FrameTooLargeException.Exceeds(
                $"A Pegasus response of {total} bytes", "PegasusOptions.MaxFrameBytes", FrameTooLargeException.Bytes(maxFrame),
                "raise PegasusOptions.MaxFrameBytes to accept it");
        }

        return buffer.Length >= total ? total : 0;
    }

    /// <summary>Parses a response frame's header; on ERR_OK <paramref name="reader"/> is left at the result struct's fields.</summary>
    public static (string Error, string Name, int Seqid, bool HasResult) ReadResponse(ref ThriftReader reader)
    {
        reader.Take(4);
        var error = reader.String();
        var (name, seqid) = ReadMessageHeader(ref reader);
        if (error != DsnErrors.Ok || reader.Remaining == 0)
        {
            return (error, name, seqid, false);
        }

        if (!reader.Field(out var type, out _) || type != ThriftType.Struct)
        {
            return (error, name, seqid, false);
        }

        return (error, name, seqid, true);
    }

    private static (string Name, int Seqid) ReadMessageHeader(ref ThriftReader reader)
    {
        var first = reader.I32();
        if (first < 0)
        {
            if ((first & 0xFFFF0000) != 0x80010000)
            {
                throw new ProtocolErrorException($"Bad thrift message version 0x{first:x8}.");
            }

            var name = reader.String();
            return (name, reader.I32());
        }

        // The old unversioned form: name length (already read), name, type byte, seqid.
        var legacyName = System.Text.Encoding.ASCII.GetString(reader.Take(first));
        reader.Byte();
        return (legacyName, reader.I32());
    }
}
