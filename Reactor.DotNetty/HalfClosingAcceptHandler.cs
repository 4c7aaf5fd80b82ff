using System.Net.Sockets;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace ReactiveKv.DotNetty;

/// <summary>
/// On a listening channel, ahead of DotNetty's acceptor: each accepted connection's socket goes on in a
/// <see cref="HalfClosingSocketChannel"/> instead of the plain channel DotNetty 0.7.6 makes (its acceptor has no
/// factory for them). The plain one is never registered, so it holds nothing but the socket it gives up.
/// </summary>
internal sealed class HalfClosingAcceptHandler : ChannelHandlerAdapter
{
    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is TcpSocketChannel accepted and not HalfClosingSocketChannel
            && DotNettyConnectionChannel.SocketField?.GetValue(accepted) is Socket socket)
        {
            message = new HalfClosingSocketChannel(context.Channel, socket);
        }

        context.FireChannelRead(message);
    }
}
