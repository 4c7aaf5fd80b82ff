using DotNetty.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace ReactiveKv.DotNetty;

/// <summary>
/// The last handler of a connection's pipeline: it drives the reactor transport (and so the protocol) from the
/// channel's events. Until the transport is attached it holds what arrives, and it says when the connection is active.
/// </summary>
internal sealed class ProtocolChannelHandler : ChannelHandlerAdapter
{
    private readonly TaskCompletionSource<IChannel> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<IByteBuffer>? _early;
    private DotNettyTransport? _transport;
    private bool _closed;
    private bool _inputShut;

    public ProtocolChannelHandler(Action<ProtocolChannelHandler, IChannel>? onReady = null) => OnReady = onReady;

    /// <summary>Completes with the channel when it is active, or fails if it closes before.</summary>
    public Task<IChannel> Ready => _ready.Task;

    /// <summary>Called on the channel's loop when it is ready; a server builds the protocol here.</summary>
    private Action<ProtocolChannelHandler, IChannel>? OnReady { get; }

    /// <summary>Gives the transport what arrived before it existed and everything after. Channel loop.</summary>
    public void Attach(DotNettyTransport transport)
    {
        _transport = transport;
        if (_early is { } early)
        {
            _early = null;
            foreach (var buffer in early)
            {
                transport.OnReceived(buffer);
            }
        }

        // The peer finished sending before the transport existed: the transport hears it after what was sent before.
        if (_inputShut)
        {
            transport.OnInputShutdown();
        }

        // It closed between being established and getting its protocol: the protocol hears of it after ConnectionMade.
        if (_closed)
        {
            transport.OnInactive();
        }
    }

    public override void ChannelActive(IChannelHandlerContext context)
    {
        MarkReady(context.Channel);
        base.ChannelActive(context);
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is not IByteBuffer buffer)
        {
            ReferenceCountUtil.Release(message);
            return;
        }

        if (_transport is { } transport)
        {
            transport.OnReceived(buffer);
        }
        else
        {
            (_early ??= []).Add(buffer);
        }
    }

    public override void ChannelReadComplete(IChannelHandlerContext context) => _transport?.OnReadComplete();

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        if (_transport is { } transport)
        {
            transport.OnInactive();
        }
        else
        {
            // What arrived stays for a transport still to come; disposing the unused connection releases it.
            _closed = true;
            _ready.TrySetException(new ConnectionDoneException("The connection closed before it was established."));
        }
    }

    // The peer's FIN (see HalfClosingSocketChannel): the transport decides whether the connection stays up for writing.
    public override void UserEventTriggered(IChannelHandlerContext context, object evt)
    {
        if (evt is not ChannelInputShutdownEvent)
        {
            base.UserEventTriggered(context, evt);
            return;
        }

        if (_transport is { } transport)
        {
            transport.OnInputShutdown();
        }
        else
        {
            _inputShut = true;
        }
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        if (_transport is { } transport)
        {
            transport.OnError(exception);
        }
        else
        {
            _ready.TrySetException(exception);
        }

        _ = context.CloseAsync();
    }

    /// <summary>Releases what arrived before a transport took it (the connection was refused or failed). Channel loop.</summary>
    public void ReleaseEarly()
    {
        if (_early is { } early)
        {
            _early = null;
            foreach (var buffer in early)
            {
                buffer.Release();
            }
        }
    }

    private void MarkReady(IChannel channel)
    {
        if (_ready.TrySetResult(channel))
        {
            OnReady?.Invoke(this, channel);
        }
    }
}
