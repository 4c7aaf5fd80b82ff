using System.Net;
using System.Net.Sockets;
using System.Text;
using ReactiveKv.Examples.CommandLine;
using ReactiveKv.Keyspace;
using ReactiveKv.Tests.Examples;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Keyspace;

/// <summary><c>serve keyspace</c> in-process: the lines it prints, its nodes on those ports, its HTTP API, Ctrl+C.</summary>
public class KeyspaceServeCliTests
{
    [Fact]
    public async Task ServeKeyspace_WithThreeNodes_PrintsEveryNode_AndEachAnswersOnItsPorts()
    {
        var stdout = new LineWatcher(line => line.StartsWith("listening on ", StringComparison.Ordinal));
        using var stop = new CancellationTokenSource();
        var serving = Cli.RunAsync(["serve", "keyspace", "--port", "0", "--nodes", "3"], stdout, new StringWriter(), stop.Token);
        var listening = IPEndPoint.Parse((await stdout.Matched.Within())["listening on ".Length..]);
        var nodes = new List<(IPEndPoint Client, IPEndPoint Http)>();
        for (var node = 0; node < 3; node++)
        {
            var line = await stdout.WaitForLineAsync(l => l.StartsWith($"node {node}: ", StringComparison.Ordinal)).Within();
            var parts = line.Split(' ');
            nodes.Add((IPEndPoint.Parse(parts[3].TrimEnd(',')), IPEndPoint.Parse(parts[5])));
        }

        Assert.Equal(listening, nodes[0].Client);
        await using (var master = await RawKeyspaceConnection.ConnectAsync(nodes[0].Client))
        {
            Assert.Equal(KeyspaceReplyType.Ok, (await master.WriteAsync(Ks.Set("k", "v"))).Type);
        }

        await using (var other = await RawKeyspaceConnection.ConnectAsync(nodes[2].Client))
        {
            Assert.Equal("0", KeyspaceTestCluster.S((await other.CallAsync(Ks.GetMaster())).Value));
            Assert.Equal("v", KeyspaceTestCluster.S((await other.CallAsync(Ks.Get("k", dirty: true))).Value));
        }

        Assert.EndsWith("\r\n\r\n0", await HttpAsync(nodes[1].Http, "/getmaster"));
        stop.Cancel();
        Assert.Equal(ExitCodes.Ok, await serving.Within());
    }

    [Fact]
    public async Task ServeKeyspace_Quirks_TurnsExpiryOff()
    {
        var stdout = new LineWatcher(line => line.StartsWith("node 0: ", StringComparison.Ordinal));
        using var stop = new CancellationTokenSource();
        var serving = Cli.RunAsync(["serve", "keyspace", "--port", "0", "--quirks-1.9.0"], stdout, new StringWriter(), stop.Token);
        var http = IPEndPoint.Parse((await stdout.Matched.Within()).Split(' ')[5]);

        Assert.EndsWith("OK", await HttpAsync(http, "/set?key=k&value=v"));
        Assert.EndsWith("OK", await HttpAsync(http, "/setexpiry?key=k&time=0"));
        Assert.EndsWith("\r\n\r\nv", await HttpAsync(http, "/get?key=k"));
        stop.Cancel();
        Assert.Equal(ExitCodes.Ok, await serving.Within());
    }

    [Fact]
    public async Task ServeHelp_DocumentsNodesAndQuirks()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = await Cli.RunAsync(["serve", "--help"], stdout, stderr).Within();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("--nodes", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("--quirks-1.9.0", stdout.ToString(), StringComparison.Ordinal);
    }

    /// <summary>One HTTP/1.0-style exchange: the whole response, read to the close.</summary>
    internal static async Task<string> HttpAsync(IPEndPoint endpoint, string target)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint).Within();
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n")).Within();
        using var response = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer).Within()) > 0)
        {
            response.Write(buffer, 0, read);
        }

        return Encoding.Latin1.GetString(response.ToArray());
    }
}
