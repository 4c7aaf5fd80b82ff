using System.Net.Sockets;
using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Examples.KyotoTycoon;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>The embedded server's memcached plugin (spec §7) and the memcache packer's interoperability through it.</summary>
public sealed class KtMemcachedTests() : KtServerTest(1)
{
    private readonly TestScheduler _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));

    protected override KtServerOptions ServerOptions => new() { MemcachedPort = 0, Clock = _clock };

    [Fact]
    public async Task AMemcachePackedValue_RoundTripsThroughThePlugin_BothWays()
    {
        var packer = new MemcachePacker<string>(ValuePackers.Utf8, flags: 42);
        await Client.Set(B("k"), "from kt", packer).ToTask().Within();
        await using var memcache = await MemcachedTextClient.ConnectAsync(Server.MemcachedAddress!, CancellationToken.None);

        var seen = await memcache.GetAsync("k", CancellationToken.None).Within();
        Assert.True(await memcache.SetAsync("m", B("from memcached"), 9, CancellationToken.None).Within());
        var back = await Client.Get(B("m"), packer).ToTask().Within();

        Assert.Equal(("from kt", 42u), (Encoding.UTF8.GetString(seen!.Value.Value), seen.Value.Flags));
        Assert.Equal("from memcached", back);
        MemcachePacker<string>.Split((await Client.Get(B("m")).ToTask().Within())!.Value, out var flags);
        Assert.Equal(9u, flags);
    }

    [Fact]
    public async Task ThePluginsTextRules_FollowTheSpec()
    {
        await Client.Set(B("http"), B("abcdefgh")).ToTask().Within();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(Server.MemcachedAddress!);
        var stream = new NetworkStream(socket);

        // A value written over HTTP loses its last 4 bytes to flags; gets has no cas; an unknown storage command gives two ERRORs.
        Assert.Equal("VALUE http 1701209960 4\r\nabcd\r\nEND\r\n", await Say(stream, "gets http\r\n", "END\r\n"));
        Assert.Equal("ERROR\r\nERROR\r\n", await Say(stream, "append http 0 0 1\r\nx\r\n", "ERROR\r\nERROR\r\n"));
        Assert.Equal("STORED\r\n", await Say(stream, "set n 0 0 2\r\n10\r\n", "\r\n"));
        Assert.Equal("15\r\n", await Say(stream, "incr n 5\r\n", "\r\n"));
        Assert.Equal("0\r\n", await Say(stream, "decr n 100\r\n", "\r\n"));
        Assert.Equal("NOT_STORED\r\n", await Say(stream, "add n 0 0 1\r\nz\r\n", "\r\n"));
        Assert.Equal("STORED\r\n", await Say(stream, "set short 0 100 1\r\ns\r\n", "\r\n"));
        Assert.Equal("DELETED\r\n", await Say(stream, "delete n\r\n", "\r\n"));
        Assert.Equal("NOT_FOUND\r\n", await Say(stream, "delete n\r\n", "\r\n"));
        Assert.Equal("CLIENT_ERROR invalid parameters\r\n", await Say(stream, "set x 0\r\n", "\r\n"));
        Assert.Equal("VERSION KyotoTycoon/0.9.56b\r\n", await Say(stream, "version\r\n", "\r\n"));

        // exptime up to 2^24 is relative seconds.
        var record = await Client.Get(B("short")).ToTask().Within();
        Assert.Equal(_clock.Now.AddSeconds(100), record!.ExpiresAt);
        Assert.Equal("OK\r\n", await Say(stream, "flush_all\r\n", "\r\n"));
        Assert.Null(await Client.Get(B("short")).ToTask().Within());
    }

    [Fact]
    public async Task AReadOnlyPlugin_RefusesWrites_AndStillServesReads()
    {
        await using var server = await KtServer.StartAsync(Reactor, new KtServerOptions { MemcachedPort = 0, MemcachedReadOnly = true });
        await using var client = KtClient.Create(Reactor, new KtOptions { Port = server.Address.Port });
        await client.Set(B("r"), B("value1234")).ToTask().Within();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.MemcachedAddress!);
        var stream = new NetworkStream(socket);

        Assert.Equal("SERVER_ERROR server is read-only\r\n", await Say(stream, "set r 0 0 1\r\nx\r\n", "\r\n"));
        Assert.Equal("SERVER_ERROR server is read-only\r\n", await Say(stream, "delete r\r\n", "\r\n"));
        Assert.Equal("VALUE r 825373492 5\r\nvalue\r\nEND\r\n", await Say(stream, "get r\r\n", "END\r\n"));
    }

    [Theory]
    [InlineData("kt-memcache-packer")]
    [InlineData("kt-memcache-gzip")]
    [InlineData("kt-replication")]
    public async Task TheKtExamples_RunAgainstTheEmbeddedServer(string name)
    {
        var output = new StringWriter();

        var code = await ExampleCatalog.Find(name)!.RunAsync(new ExampleArgs(), output, CancellationToken.None).Within();

        Assert.Equal(0, code);
        Assert.Contains("embedded Kyoto Tycoon server", output.ToString());
    }

    private static async Task<string> Say(NetworkStream stream, string command, string until)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command));
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().EndsWith(until, StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer).AsTask().Within();
            received.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return received.ToString();
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
