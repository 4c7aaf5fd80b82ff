using System.Net;
using DotNetty.Transport.Channels;

namespace ReactiveKv.DotNetty;

/// <summary>A DotNetty channel as the transport base sees a connection: addresses, socket options, closing.</summary>
internal sealed class DotNettyConnectionChannel(IChannel channel) : IConnectionChannel
{
    /// <summary>The channel itself, for tests that look into its pipeline.</summary>
    public IChannel Channel => channel;

    public EndPoint LocalEndPoint { get; } = channel.LocalAddress;

    public EndPoint RemoteEndPoint { get; } = channel.RemoteAddress;

    public bool NoDelay
    {
        get => channel.Configuration.GetOption(ChannelOption.TcpNodelay);
        set => channel.Configuration.SetOption(ChannelOption.TcpNodelay, value);
    }

    public bool KeepAlive
    {
        get => channel.Configuration.GetOption(ChannelOption.SoKeepalive);
        set => channel.Configuration.SetOption(ChannelOption.SoKeepalive, value);
    }

    public void Abort()
    {
        // Linger 0 makes the close a reset, dropping what is unsent, as the default reactor's abort does.
        if (channel.Open)
        {
            channel.Configuration.SetOption(ChannelOption.SoLinger, 0);
        }

        _ = channel.CloseAsync();
    }

    public void Dispose() => _ = channel.CloseAsync();
}
