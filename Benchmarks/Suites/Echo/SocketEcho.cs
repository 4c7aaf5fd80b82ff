using System.Net;
using System.Net.Sockets;

namespace ReactiveKv.Benchmarks.Suites.Echo;

/// <summary>
/// The peer: a minimal echo server and closed-loop clients written directly on Socket async calls. Only the
/// Memory overloads are used: a byte[] argument binds to the ArraySegment overloads, which allocate a Task per call.
/// </summary>
internal sealed class SocketEcho : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Socket[] _clients;
    private readonly int _size;
    private readonly CancellationTokenSource _shutdown = new();

    private SocketEcho(Socket listener, Socket[] clients, int size)
    {
        _listener = listener;
        _clients = clients;
        _size = size;
    }

    public static async Task<SocketEcho> StartAsync(int connections, int size)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        var clients = new Socket[connections];
        var echo = new SocketEcho(listener, clients, size);
        _ = echo.AcceptLoopAsync();
        for (var i = 0; i < connections; i++)
        {
            clients[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await clients[i].ConnectAsync(listener.LocalEndPoint!);
        }

        return echo;
    }

    public async Task<long> RunAsync(CancellationToken stop) =>
        (await Task.WhenAll(_clients.Select(c => Task.Run(() => ClientLoopAsync(c, stop))))).Sum();

    public ValueTask DisposeAsync()
    {
        _shutdown.Cancel();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _listener.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<long> ClientLoopAsync(Socket socket, CancellationToken stop)
    {
        var message = new byte[_size];
        var buffer = new byte[_size];
        long count = 0;
        while (!stop.IsCancellationRequested)
        {
            await socket.SendAsync(message.AsMemory(), SocketFlags.None);
            var got = 0;
            while (got < _size)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None);
                got += read > 0 ? read : throw new IOException("The echo server closed the connection.");
            }

            count++;
        }

        return count;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_shutdown.Token);
                socket.NoDelay = true;
                _ = ServeAsync(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Shut down.
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var buffer = new byte[Math.Max(_size, 4096)];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
