using System.Text;
using ReactiveKv.Keyspace;
using ReactiveKv.Testing;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>
/// A reactor and an embedded cluster for one test. Leases, elections and expiry run on <see cref="Clock"/>, a
/// <see cref="TestScheduler"/> given as the server's clock, so they fire on the test thread inside AdvanceBy.
/// </summary>
internal sealed class KeyspaceTestCluster : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);

    private readonly List<RawKeyspaceConnection> _connections = [];

    private KeyspaceTestCluster(Reactor reactor, KeyspaceServer server, TestScheduler clock)
    {
        (Reactor, Server, Clock) = (reactor, server, clock);
    }

    public Reactor Reactor { get; }

    public KeyspaceServer Server { get; }

    public TestScheduler Clock { get; }

    public static async Task<KeyspaceTestCluster> StartAsync(int nodes = 1, KeyspaceServerOptions? options = null)
    {
        var clock = new TestScheduler(Start);
        var reactor = new Reactor(new ReactorOptions { LoopCount = 2 });
        reactor.Start();
        var server = await KeyspaceServer.StartAsync(reactor, (options ?? new KeyspaceServerOptions()) with { Nodes = nodes, Clock = clock });
        return new KeyspaceTestCluster(reactor, server, clock);
    }

    public async Task<RawKeyspaceConnection> ConnectAsync(int node = 0)
    {
        var connection = await RawKeyspaceConnection.ConnectAsync(Server.ClientEndpoints[node]);
        _connections.Add(connection);
        return connection;
    }

    /// <summary>Connects to the current master.</summary>
    public Task<RawKeyspaceConnection> ConnectMasterAsync() => ConnectAsync(Server.Master ?? throw new InvalidOperationException("No master."));

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await Server.DisposeAsync();
        await Reactor.DisposeAsync();
    }

    public static byte[] B(string text) => Encoding.Latin1.GetBytes(text);

    public static string S(byte[]? bytes) => bytes is null ? "(null)" : Encoding.Latin1.GetString(bytes);
}
