using System.Net;
using DotNetty.Buffers;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace ReactiveKv.Benchmarks.Suites.Echo;

/// <summary>
/// The raw DotNetty peer: an echo server and closed-loop clients written as plain <see cref="ChannelHandlerAdapter"/>s
/// on one DotNetty group (one loop per core), pooled buffers, flushed once per read batch: what the DotNetty reactor
/// costs is measured against this.
/// </summary>
internal sealed class DotNettyEcho : IAsyncDisposable
{
    private readonly MultithreadEventLoopGroup _group;
    private readonly IChannel _server;
    private readonly Client[] _clients;

    private DotNettyEcho(MultithreadEventLoopGroup group, IChannel server, Client[] clients)
    {
        _group = group;
        _server = server;
        _clients = clients;
    }

    public static async Task<DotNettyEcho> StartAsync(int connections, int size)
    {
        var group = new MultithreadEventLoopGroup(Environment.ProcessorCount);
        var server = await new ServerBootstrap()
            .Group(group)
            .Channel<TcpServerSocketChannel>()
            .Option(ChannelOption.SoBacklog, 512)
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildOption(ChannelOption.Allocator, PooledByteBufferAllocator.Default)
            .ChildHandler(new ActionChannelInitializer<IChannel>(ch => ch.Pipeline.AddLast(new EchoHandler())))
            .BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var clients = new Client[connections];
        var bootstrap = new Bootstrap()
            .Group(group)
            .Channel<TcpSocketChannel>()
            .Option(ChannelOption.TcpNodelay, true)
            .Option(ChannelOption.Allocator, PooledByteBufferAllocator.Default);
        for (var i = 0; i < connections; i++)
        {
            var client = new Client(size);
            clients[i] = client;
            await bootstrap.Clone().Handler(client).ConnectAsync(server.LocalAddress);
        }

        return new DotNettyEcho(group, server, clients);
    }

    public async Task<long> RunAsync(CancellationToken stop)
    {
        var runs = _clients.Select(c => c.RunAsync(stop)).ToArray();
        return (await Task.WhenAll(runs)).Sum();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.CloseAsync();
        await _group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    private sealed class EchoHandler : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext context, object message) => context.WriteAsync(message);

        public override void ChannelReadComplete(IChannelHandlerContext context) => context.Flush();
    }

    private sealed class Client(int size) : ChannelHandlerAdapter
    {
        private IChannelHandlerContext? _context;
        private TaskCompletionSource<long>? _done;
        private CancellationToken _stop;
        private long _count;
        private long _received;

        public override bool IsSharable => false;

        public override void ChannelActive(IChannelHandlerContext context) => _context = context;

        public Task<long> RunAsync(CancellationToken stop)
        {
            var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var context = _context!;
            context.Channel.EventLoop.Execute(() =>
            {
                _done = done;
                _stop = stop;
                _count = 0;
                Send(context);
            });
            return done.Task;
        }

        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            var buffer = (IByteBuffer)message;
            _received += buffer.ReadableBytes;
            buffer.Release();
            while (_received >= size)
            {
                _received -= size;
                _count++;
                if (_stop.IsCancellationRequested)
                {
                    _done!.TrySetResult(_count);
                }
                else
                {
                    Send(context);
                }
            }
        }

        public override void ExceptionCaught(IChannelHandlerContext context, Exception exception) => _done?.TrySetException(exception);

        private void Send(IChannelHandlerContext context)
        {
            var buffer = context.Allocator.Buffer(size);
            buffer.SetWriterIndex(size);
            context.WriteAndFlushAsync(buffer);
        }
    }
}
