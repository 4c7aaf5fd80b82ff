using System.Text;
using ReactiveKv.Testing;

namespace ReactiveKv.Tests.Clients;

/// <summary>
/// A <see cref="ClientConnectionService{TProtocol, TRequest}"/> for the toy backend on a one-loop reactor whose clock
/// is a <see cref="TestScheduler"/>, connected through a <see cref="StringTransportConnector"/>: the test decides when
/// connections succeed, what the server answers and when time passes. Nothing touches the network or waits for real time.
/// </summary>
internal sealed class ToyService : IAsyncDisposable
{
    private ToyService(ClientConnectionOptions options, string? hello)
    {
        Reactor = new Reactor(new ReactorOptions { LoopCount = 1, Clock = Clock });
        Reactor.Start();
        Loop = Reactor.Loops.Next();
        Connector = new StringTransportConnector(Loop);
        Service = new ClientConnectionService<ToyLineProtocol, ToyRequest>(
            Reactor, options, new ClientErrors("Toy"), "toy:1", Connector.Connect, () => new ToyLineProtocol { Hello = hello }, Loop);
    }

    public TestScheduler Clock { get; } = new();

    public Reactor Reactor { get; }

    public EventLoop Loop { get; }

    public StringTransportConnector Connector { get; }

    public ClientConnectionService<ToyLineProtocol, ToyRequest> Service { get; }

    /// <summary>What the current connection has written so far, as text.</summary>
    public string Written => Encoding.ASCII.GetString(Connector.Current.Value());

    public static async Task<ToyService> StartAsync(ClientConnectionOptions? options = null, string? hello = null)
    {
        var toy = new ToyService(options ?? new ClientConnectionOptions(), hello);
        await toy.Settle();
        return toy;
    }

    /// <summary>Runs everything already posted to the loop (requests from this thread, fired timers) before returning.</summary>
    public Task Settle() => Loop.InvokeAsync(() => { });

    public Task OnLoop(Action action) => Loop.InvokeAsync(action);

    public async Task<ToyRequest> Submit(string line, TimeSpan? timeout = null)
    {
        var request = new ToyRequest(line);
        Service.Submit(request, timeout);
        await Settle();
        return request;
    }

    public Task Accept() => OnLoop(() => Connector.Accept());

    public Task Reply(string lines) => OnLoop(() => Connector.Current.Receive(Encoding.ASCII.GetBytes(lines)));

    public async Task Advance(TimeSpan by)
    {
        Clock.AdvanceBy(by);
        await Settle();
        await Settle();
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Reactor.DisposeAsync();
    }
}
