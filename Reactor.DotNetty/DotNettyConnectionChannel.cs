using System.Net;
using System.Net.Sockets;
using System.Reflection;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace ReactiveKv.DotNetty;

/// <summary>A DotNetty channel as the transport base sees a connection: addresses, socket options, closing.</summary>
internal sealed class DotNettyConnectionChannel(IChannel channel) : IConnectionChannel
{
    /// <summary>DotNetty 0.7.6 keeps a channel's socket in a protected field; this package pins that release, so the field is there.</summary>
    internal static readonly FieldInfo? SocketField = typeof(AbstractSocketChannel).GetField("Socket", BindingFlags.NonPublic | BindingFlags.Instance);

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

    // Not DotNetty's own ShutdownOutputAsync: it calls Socket.Shutdown, which marks the socket disconnected, and
    // DotNetty's reader then takes every later read for the end of the input. The channel's loop is the caller's.
    public Task ShutdownOutputAsync()
    {
        if (SocketField?.GetValue(channel) is not Socket socket)
        {
            return Task.FromException(new NotSupportedException($"{channel.GetType().Name} has no socket to half-close."));
        }

        try
        {
            WriteHalf.Shutdown(socket);
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return Task.FromException(e);
        }
    }

    public void Abort()
    {
        // A reset, dropping what is unsent, as the default reactor's abort does. DotNetty's own close shuts the socket
        // down first, which sends a FIN before any linger-0 close could reset it: the socket is closed with linger 0
        // under it (DotNetty 0.7.6 keeps it in a protected field; this package pins that release, so the field is there), then the
        // channel closes around the closed socket.
        if (channel.Open && SocketField?.GetValue(channel) is Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // Closed or reset meanwhile: the channel's close below finishes the job.
            }
        }

        _ = channel.CloseAsync();
    }

    public void Dispose() => _ = channel.CloseAsync();
}
