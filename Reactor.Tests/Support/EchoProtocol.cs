using System.Buffers;

namespace ReactiveKv.Tests.Support;

/// <summary>Writes back whatever arrives.</summary>
internal sealed class EchoProtocol : Protocol
{
    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        Transport.WriteSequence(data);
        return data.End;
    }
}
