using System.Net;
using System.Net.Sockets;
using System.Text;
using DotNetty.Codecs;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using ReactiveKv.DotNetty;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.DotNetty;

/// <summary>
/// Embedding in a DotNetty server: an application's own <c>ServerBootstrap</c> (a line server) hands its event loop group
/// to the reactor, and its channel handler answers each line with a Kyoto Tycoon lookup through the project's client,
/// called on the handler's own loop with no thread hop.
/// </summary>
public sealed class DotNettyGatewayExample : IExample
{
    /// <inheritdoc />
    public string Name => "dotnetty-gateway";

    /// <inheritdoc />
    public string Description => "a DotNetty line server answering each key with a Kyoto Tycoon lookup, the reactor on its loop (port 8010 or --port)";

    /// <inheritdoc />
    public bool NeedsExternalServer => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        // Two loops, and a client on each (KtOptions.Loop): a handler calls its own loop's client, so a lookup never
        // leaves the thread whichever loop DotNetty gave the connection.
        var group = new MultithreadEventLoopGroup(2);
        try
        {
            var reactor = new Reactor(new ReactorOptions { Backend = new DotNettyReactorBackend(group) });
            reactor.Start();
            await using (reactor)
            {
                await using var kv = await KtServer.StartAsync(reactor);
                var options = KtOptions.Parse($"kt://127.0.0.1:{kv.Address.Port}/");
                var clients = new Dictionary<EventLoop, KtClient>();
                for (var i = 0; i < reactor.Loops.Count; i++)
                {
                    clients[reactor.Loops[i]] = await KtClient.ConnectAsync(reactor, options with { Loop = reactor.Loops[i] }, cancellationToken);
                }

                await using var closing = new ClientsDisposal(clients.Values);
                var kt = clients[reactor.Loops[0]];
                await kt.Set(Encoding.UTF8.GetBytes("greeting"), Encoding.UTF8.GetBytes("hello from Kyoto Tycoon")).ToTask(cancellationToken);
                await kt.Set(Encoding.UTF8.GetBytes("reactor"), Encoding.UTF8.GetBytes("dotnetty")).ToTask(cancellationToken);

                var server = await new ServerBootstrap()
                    .Group(group)
                    .Channel<TcpServerSocketChannel>()
                    .ChildHandler(new ActionChannelInitializer<IChannel>(channel => channel.Pipeline
                        .AddLast(new LineBasedFrameDecoder(1024))
                        .AddLast(new LookupHandler(reactor, clients))))
                    .BindAsync(new IPEndPoint(IPAddress.Loopback, args.Port ?? (args.SelfTest ? 0 : 8010)));
                output.WriteLine($"DotNetty line server on {server.LocalAddress}; embedded Kyoto Tycoon at {kv.Address}");
                try
                {
                    if (args.SelfTest)
                    {
                        var answers = await AskAsync((IPEndPoint)server.LocalAddress, ["greeting", "reactor", "missing"], cancellationToken);
                        foreach (var answer in answers)
                        {
                            output.WriteLine(answer);
                        }

                        Check.Sequence(["greeting hello from Kyoto Tycoon", "reactor dotnetty", "missing (none)"], answers, "the gateway's answers");
                        return 0;
                    }

                    output.WriteLine("send keys, one a line (try: greeting); press Ctrl+C to stop");
                    await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                    return 0;
                }
                finally
                {
                    await server.CloseAsync();
                }
            }
        }
        finally
        {
            await group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }
    }

    private static async Task<List<string>> AskAsync(IPEndPoint server, string[] keys, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellationToken);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answers = new List<string>();
        foreach (var key in keys)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(key + "\n"), cancellationToken);
            answers.Add(await reader.ReadLineAsync(cancellationToken) ?? "(closed)");
        }

        return answers;
    }

    // The application's handler. Its events run on the DotNetty loop that is also the reactor's, so it calls the client
    // directly and writes the answer from the client's callback, on the same thread.
    private sealed class LookupHandler(Reactor reactor, Dictionary<EventLoop, KtClient> clients) : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            var frame = (global::DotNetty.Buffers.IByteBuffer)message;
            var key = frame.ToString(Encoding.UTF8);
            frame.Release();
            var kt = clients[DotNettyReactorBackend.LoopOf(reactor, context.Channel.EventLoop)];
            kt.Get(Encoding.UTF8.GetBytes(key)).Subscribe(
                record => Reply(context, $"{key} {(record is null ? "(none)" : Encoding.UTF8.GetString(record.Value))}"),
                error => Reply(context, $"{key} error: {error.Message}"));
        }

        private static void Reply(IChannelHandlerContext context, string line) =>
            context.WriteAndFlushAsync(global::DotNetty.Buffers.Unpooled.WrappedBuffer(Encoding.UTF8.GetBytes(line + "\n")));
    }

    private sealed class ClientsDisposal(IEnumerable<KtClient> clients) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
