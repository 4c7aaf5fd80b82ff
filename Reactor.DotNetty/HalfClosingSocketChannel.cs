using System.Net.Sockets;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace ReactiveKv.DotNetty;

/// <summary>
/// A TCP channel whose peer's FIN is a <see cref="ChannelInputShutdownEvent"/> rather than a close. DotNetty 0.7.6
/// leaves half-closure undone (<c>AllowHalfClosure</c> is read by nothing; the end of input always closes the channel),
/// so the end of input is taken here, where it is read: reading stops (auto-read off) and the event goes down the
/// pipeline on the next task, for the transport to decide, as Netty's own does.
/// </summary>
internal sealed class HalfClosingSocketChannel : TcpSocketChannel
{
    private bool _inputShut;

    /// <summary>A client channel, of <paramref name="family"/>.</summary>
    public HalfClosingSocketChannel(AddressFamily family)
        : base(family)
    {
    }

    /// <summary>An accepted connection, taking over the socket of the channel DotNetty's acceptor made for it.</summary>
    public HalfClosingSocketChannel(IChannel parent, Socket socket)
        : base(parent, socket)
    {
        SetState(StateFlags.Active);
        CacheLocalAddress();
        CacheRemoteAddress();
    }

    protected override int DoReadBytes(IByteBuffer buf)
    {
        var read = base.DoReadBytes(buf);
        if (read >= 0)
        {
            return read;
        }

        // The end of input: nothing was read, and nothing more is asked for. Returning 0 keeps the channel open.
        Configuration.AutoRead = false;
        if (!_inputShut)
        {
            _inputShut = true;
            EventLoop.Execute(static c => ((IChannel)c!).Pipeline.FireUserEventTriggered(ChannelInputShutdownEvent.Instance), this);
        }

        return 0;
    }
}
