using System.Buffers.Binary;
using System.Net;

namespace ReactiveKv.Pegasus;

/// <summary>rDSN's <c>rpc_address</c> for IPv4: address in bits 63..32, port in 31..16, type 1 in bits 1..0; 0 is none.</summary>
internal static class RpcAddress
{
    public static long Encode(IPEndPoint endpoint)
    {
        var bytes = endpoint.Address.MapToIPv4().GetAddressBytes();
        var ip = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return (long)(((ulong)ip << 32) | ((ulong)(ushort)endpoint.Port << 16) | 1UL);
    }

    public static IPEndPoint? Decode(long value)
    {
        var bits = (ulong)value;
        if (bits == 0 || (bits & 3) != 1)
        {
            return null;
        }

        var ip = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ip, (uint)(bits >> 32));
        return new IPEndPoint(new IPAddress(ip), (int)((bits >> 16) & 0xFFFF));
    }
}
