using System.Text;
using ReactiveKv.Keyspace;
using ReactiveKv.Testing;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>
/// A one-loop reactor on a <see cref="TestScheduler"/> with one <see cref="StringTransportConnector"/> per Keyspace
/// node: the test plays every node, byte for byte, and decides when time passes.
/// </summary>
internal sealed class KeyspaceNetwork : IAsyncDisposable
{
    public KeyspaceNetwork(int nodes)
    {
        Reactor = new Reactor(new ReactorOptions { LoopCount = 1, Clock = Clock });
        Reactor.Start();
        Loop = Reactor.Loops.Next();
        Nodes = [.. Enumerable.Range(0, nodes).Select(_ => new StringTransportConnector(Loop))];
    }

    public TestScheduler Clock { get; } = new();

    public Reactor Reactor { get; }

    public EventLoop Loop { get; }

    public IReadOnlyList<StringTransportConnector> Nodes { get; }

    /// <summary>Options for a client of these nodes, connected through the string transports.</summary>
    public KeyspaceOptions Options(TimeSpan? operationTimeout = null, TimeSpan? masterTimeout = null) => new()
    {
        Nodes = [.. Nodes.Select((_, i) => ($"node{i}", 7080))],
        ConnectWith = (i, factory, loop) => Nodes[i].Connect(factory, loop),
        OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(120),
        MasterTimeout = masterTimeout ?? TimeSpan.FromSeconds(21),
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 },
    };

    /// <summary>Runs everything already posted to the loop.</summary>
    public async Task Settle()
    {
        await Loop.InvokeAsync(() => { });
        await Loop.InvokeAsync(() => { });
    }

    public Task OnLoop(Action action) => Loop.InvokeAsync(action);

    /// <summary>Accepts node <paramref name="node"/>'s pending attempt.</summary>
    public async Task Accept(int node)
    {
        await Settle();
        await OnLoop(() => Nodes[node].Accept());
        await Settle();
    }

    /// <summary>What node <paramref name="node"/>'s current connection has received since the last <see cref="Take"/>, and clears it.</summary>
    public async Task<string> Take(int node)
    {
        await Settle();
        return await Loop.InvokeAsync(() =>
        {
            var text = Encoding.Latin1.GetString(Nodes[node].Current.Value());
            Nodes[node].Current.Clear();
            return text;
        });
    }

    /// <summary>
    /// Like <see cref="Take"/>, for bytes written by code that runs off the loop (a listing's next page is asked from
    /// the thread pool): settles the loop until something was written, a bounded number of times.
    /// </summary>
    public async Task<string> Next(int node)
    {
        for (var round = 0; round < 10_000; round++)
        {
            var written = await Take(node);
            if (written.Length > 0)
            {
                return written;
            }

            await Task.Yield();
        }

        throw new Xunit.Sdk.XunitException($"Node {node} was sent nothing.");
    }

    /// <summary>Node <paramref name="node"/> sends <paramref name="text"/>.</summary>
    public async Task Reply(int node, string text)
    {
        await OnLoop(() => Nodes[node].Current.Receive(Encoding.Latin1.GetBytes(text)));
        await Settle();
    }

    /// <summary>Node <paramref name="node"/> closes the connection (after a rejection, or as a crash).</summary>
    public async Task Close(int node)
    {
        await OnLoop(() => Nodes[node].Drop(new ConnectionDoneException("The node closed the connection.")));
        await Settle();
    }

    /// <summary>Accepts node <paramref name="node"/>, takes its get-master probe and answers that <paramref name="master"/> is master (null: <c>n</c>).</summary>
    public async Task AcceptAndAnswerProbe(int node, int? master)
    {
        await Accept(node);
        var probe = await Take(node);
        var id = probe.Split(':')[2];
        Assert.Equal($"{2 + id.Length}:m:{id}", probe);
        await Reply(node, master is { } m ? Frame($"o:{id}:{m.ToString().Length}:{m}") : Frame($"n:{id}"));
    }

    public async Task Advance(TimeSpan by)
    {
        await Settle();
        Clock.AdvanceBy(by);
        await Settle();
    }

    /// <summary>Frames a body: its length, a colon, the body.</summary>
    public static string Frame(string body) => $"{Encoding.Latin1.GetByteCount(body)}:{body}";

    public ValueTask DisposeAsync() => Reactor.DisposeAsync();
}
