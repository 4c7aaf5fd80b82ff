using System.Text;
using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Clients;

/// <summary>
/// A one-loop reactor whose clock is a <see cref="TestScheduler"/>, and a <see cref="StringTransportConnector"/> on
/// that loop: a client connected through it meets no socket and no real time. The test decides when connections
/// succeed, what the server answers and when time passes.
/// </summary>
internal sealed class VirtualNetwork : IAsyncDisposable
{
    /// <param name="reactor">The reactor to run on (<see cref="TestReactors"/>); the run's own when null.</param>
    public VirtualNetwork(string? reactor = null)
    {
        Reactor = new Reactor(TestReactors.On(reactor, new ReactorOptions { LoopCount = 1, Clock = Clock }));
        Reactor.Start();
        Loop = Reactor.Loops.Next();
        Connector = new StringTransportConnector(Loop);
    }

    public TestScheduler Clock { get; } = new();

    public Reactor Reactor { get; }

    public EventLoop Loop { get; }

    public StringTransportConnector Connector { get; }

    /// <summary>What the current connection has written so far, as text.</summary>
    public string Written => Encoding.ASCII.GetString(Connector.Current.Value());

    /// <summary>Runs everything already posted to the loop (requests from this thread, fired timers) before returning.</summary>
    public Task Settle() => Loop.InvokeAsync(() => { });

    public Task OnLoop(Action action) => Loop.InvokeAsync(action);

    public Task Accept() => OnLoop(() => Connector.Accept());

    public Task Reply(string text) => OnLoop(() => Connector.Current.Receive(Encoding.ASCII.GetBytes(text)));

    public async Task Advance(TimeSpan by)
    {
        Clock.AdvanceBy(by);
        await Settle();
        await Settle();
    }

    public ValueTask DisposeAsync() => Reactor.DisposeAsync();
}
