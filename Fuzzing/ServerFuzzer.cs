using System.Net;
using System.Net.Sockets;
using System.Text;
using ReactiveKv.Keyspace;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Pegasus;

namespace ReactiveKv.Fuzzing;

/// <summary>
/// The fuzzer's hostile inputs sent to an embedded server over real loopback sockets, a burst of connections at a
/// time; between bursts a connection opened at the start (and one opened fresh) must still get an answer to a valid
/// request, and at the end the process's managed heap must not have grown past a bound. Every server of the library:
/// Kyoto Tycoon (HTTP/binary port and memcached port), Pegasus (a replica's THFT port) and Keyspace (a node's port).
/// </summary>
public sealed class ServerFuzzer
{
    private const int Burst = 16;
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(10);
    private readonly Random _random;

    /// <summary>Creates a fuzzer with a fixed <paramref name="seed"/>.</summary>
    public ServerFuzzer(int seed) => _random = new Random(seed);

    /// <summary>The servers, by name.</summary>
    public static IReadOnlyList<string> Servers { get; } = ["kt", "memcached", "pegasus", "keyspace"];

    /// <summary>Inputs sent so far.</summary>
    public long Inputs { get; private set; }

    /// <summary>Growth of the managed heap over the run, after a full collection (bytes).</summary>
    public long HeapGrowth { get; private set; }

    /// <summary>
    /// Starts the named embedded server on <paramref name="reactor"/>, sends it <paramref name="count"/> hostile inputs
    /// (or until <paramref name="stop"/>), and returns what went wrong (an unanswered probe, heap growth past
    /// <paramref name="maxHeapGrowth"/>).
    /// </summary>
    public async Task<IReadOnlyList<FuzzFailure>> RunAsync(Reactor reactor, string server, long count, long maxHeapGrowth = 256L << 20, CancellationToken stop = default)
    {
        var failures = new List<FuzzFailure>();
        var (target, endpoint, probe, dispose) = await StartAsync(reactor, server, stop).ConfigureAwait(false);
        try
        {
            var heapBefore = Heap();
            using var kept = await ConnectAsync(endpoint, stop).ConfigureAwait(false);
            while (Inputs < count && !stop.IsCancellationRequested && failures.Count == 0)
            {
                var inputs = Enumerable.Range(0, (int)Math.Min(Burst, count - Inputs)).Select(_ => Hostile(target)).ToList();
                await Task.WhenAll(inputs.Select(input => SendAsync(endpoint, input, stop))).ConfigureAwait(false);
                Inputs += inputs.Count;
                if (!await AnswersAsync(kept, probe, stop).ConfigureAwait(false))
                {
                    failures.Add(new FuzzFailure(server, inputs.SelectMany(i => i).ToArray(), "a connection opened before these inputs got no answer to a valid request afterwards"));
                    break;
                }

                using var fresh = await ConnectAsync(endpoint, stop).ConfigureAwait(false);
                if (!await AnswersAsync(fresh, probe, stop).ConfigureAwait(false))
                {
                    failures.Add(new FuzzFailure(server, inputs.SelectMany(i => i).ToArray(), "a new connection got no answer to a valid request after these inputs"));
                }
            }

            HeapGrowth = Heap() - heapBefore;
            if (HeapGrowth > maxHeapGrowth)
            {
                failures.Add(new FuzzFailure(server, [], $"the managed heap grew by {HeapGrowth >> 20} MiB over {Inputs} inputs (bound {maxHeapGrowth >> 20} MiB)"));
            }
        }
        finally
        {
            await dispose().ConfigureAwait(false);
        }

        return failures;
    }

    private static async Task<(FuzzTarget Target, IPEndPoint Endpoint, byte[] Probe, Func<ValueTask> Dispose)> StartAsync(Reactor reactor, string server, CancellationToken stop)
    {
        switch (server)
        {
            case "kt":
            {
                var kt = await KtServer.StartAsync(reactor, null, stop).ConfigureAwait(false);
                return (FuzzCatalog.Named("kt-requests"), kt.Address, Encoding.ASCII.GetBytes("GET /rpc/void HTTP/1.1\r\nHost: x\r\n\r\n"), kt.DisposeAsync);
            }

            case "memcached":
            {
                var kt = await KtServer.StartAsync(reactor, new KtServerOptions { MemcachedPort = 0 }, stop).ConfigureAwait(false);
                return (FuzzCatalog.Named("memcached"), kt.MemcachedAddress!, Encoding.ASCII.GetBytes("get nothing-here\r\n"), kt.DisposeAsync);
            }

            case "pegasus":
            {
                var pegasus = await PegasusServer.StartAsync(reactor, null, stop).ConfigureAwait(false);
                var target = FuzzCatalog.Named("thft-requests");
                return (target, pegasus.ReplicaEndpoints[0], target.Seeds[1], pegasus.DisposeAsync);
            }

            case "keyspace":
            {
                var keyspace = await KeyspaceServer.StartAsync(reactor, new KeyspaceServerOptions { Nodes = 1 }, stop).ConfigureAwait(false);
                return (FuzzCatalog.Named("keyspace-requests"), keyspace.Address, Encoding.ASCII.GetBytes("15:g:61:8:kprobe/b"), keyspace.DisposeAsync);
            }

            default:
                throw new ArgumentException($"no server named '{server}'; servers: {string.Join(", ", Servers)}", nameof(server));
        }
    }

    private byte[] Hostile(FuzzTarget target)
    {
        var seed = target.Seeds[_random.Next(target.Seeds.Count)];
        return _random.Next(8) == 0 && target.Nasty is { } nasty ? nasty(_random) : Mutator.Mutate(seed, _random, target.MaxPending);
    }

    private async Task SendAsync(IPEndPoint endpoint, byte[] input, CancellationToken stop)
    {
        using var socket = await ConnectAsync(endpoint, stop).ConfigureAwait(false);
        try
        {
            for (var at = 0; at < input.Length;)
            {
                var size = Math.Min(input.Length - at, _random.Next(1, Math.Max(2, input.Length / 2)));
                await socket.SendAsync(input.AsMemory(at, size), SocketFlags.None, stop).ConfigureAwait(false);
                at += size;
            }

            if (_random.Next(2) == 0)
            {
                // Half the time the sender waits for the server's verdict (an answer or a close) before leaving.
                socket.Shutdown(SocketShutdown.Send);
                using var drained = CancellationTokenSource.CreateLinkedTokenSource(stop);
                drained.CancelAfter(TimeSpan.FromMilliseconds(200));
                var buffer = new byte[4096];
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, drained.Token).ConfigureAwait(false) > 0)
                {
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The server closed or reset the connection, or took no decision in time: both are its right.
        }
    }

    private static async Task<bool> AnswersAsync(Socket socket, byte[] probe, CancellationToken stop)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(stop);
        within.CancelAfter(AnswerWithin);
        try
        {
            await socket.SendAsync(probe, SocketFlags.None, within.Token).ConfigureAwait(false);
            var buffer = new byte[64 << 10];
            return await socket.ReceiveAsync(buffer, SocketFlags.None, within.Token).ConfigureAwait(false) > 0;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint, CancellationToken stop)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, stop).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
