using System.Buffers;

namespace ReactiveKv.Benchmarks.Suites.Echo;

/// <summary>Echo server and closed-loop clients on the reactor: each client keeps one message in flight.</summary>
internal sealed class ReactorEcho : IAsyncDisposable
{
    private readonly Reactor _reactor;
    private readonly Client[] _clients;

    private ReactorEcho(Reactor reactor, Client[] clients)
    {
        _reactor = reactor;
        _clients = clients;
    }

    public static async Task<ReactorEcho> StartAsync(int connections, int size, ReactorOptions? options = null)
    {
        var reactor = new Reactor(options);
        reactor.Start();
        var port = reactor.ListenTcp(0, new ServerFactory(() => new EchoServer()));
        var clients = new Client[connections];
        for (var i = 0; i < connections; i++)
        {
            var client = new Client(new byte[size]);
            clients[i] = client;
            await ClientEndpoint.Tcp(reactor, "127.0.0.1", port.Port).Connect(new Factory(() => client)).ToTask();
        }

        return new ReactorEcho(reactor, clients);
    }

    public async Task<long> RunAsync(CancellationToken stop)
    {
        var runs = _clients.Select(c => c.RunAsync(stop)).ToArray();
        return (await Task.WhenAll(runs)).Sum();
    }

    public ValueTask DisposeAsync() => _reactor.DisposeAsync();

    private sealed class EchoServer : Protocol
    {
        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            Transport.WriteSequence(data);
            return data.End;
        }
    }

    private sealed class Client(byte[] message) : Protocol
    {
        private TaskCompletionSource<long>? _done;
        private CancellationToken _stop;
        private long _count;
        private long _received;

        public Task<long> RunAsync(CancellationToken stop)
        {
            var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Transport.Loop.CallFromThread(() =>
            {
                _done = done;
                _stop = stop;
                _count = 0;
                Transport.Write(message);
            });
            return done.Task;
        }

        public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
        {
            _received += data.Length;
            while (_received >= message.Length)
            {
                _received -= message.Length;
                _count++;
                if (_stop.IsCancellationRequested)
                {
                    // Closed loop: the last echo is in, nothing is in flight, so the next round starts clean.
                    _done!.TrySetResult(_count);
                }
                else
                {
                    Transport.Write(message);
                }
            }

            return data.End;
        }

        protected override void ConnectionLost(Exception reason) => _done?.TrySetException(reason);
    }
}
