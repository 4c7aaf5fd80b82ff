using System.Buffers;
using System.Text;

namespace ReactiveKv.Examples.Handlers;

/// <summary>A line protocol that answers each line with the registry's dispatch of it.</summary>
public sealed class CommandProtocol(HandlerRegistry registry) : LineReceiver
{
    /// <inheritdoc />
    protected override void LineReceived(in ReadOnlySequence<byte> line)
    {
        var reply = registry.Dispatch(Encoding.UTF8.GetString(line));
        SendLine(Encoding.UTF8.GetBytes(reply));
    }
}
