using System.Buffers;

namespace ReactiveKv.Examples.Echo;

/// <summary>Twisted's <c>Echo</c>: writes back whatever arrives.</summary>
public sealed class EchoProtocol : Protocol
{
    /// <inheritdoc />
    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        Transport.WriteSequence(data);
        return data.End;
    }
}
