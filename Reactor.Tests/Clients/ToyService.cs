using ReactiveKv.Testing;

namespace ReactiveKv.Tests.Clients;

/// <summary>A <see cref="ClientConnectionService{TProtocol, TRequest}"/> for the toy backend on a <see cref="VirtualNetwork"/>.</summary>
internal sealed class ToyService : IAsyncDisposable
{
    private ToyService(ClientConnectionOptions options, string? hello, ClientTelemetry? telemetry, string? reactor)
    {
        Network = new VirtualNetwork(reactor);
        Service = new ClientConnectionService<ToyLineProtocol, ToyRequest>(
            Network.Reactor, options, new ClientErrors("Toy"), "toy:1", Network.Connector.Connect, () => new ToyLineProtocol { Hello = hello }, Network.Loop, telemetry);
    }

    public VirtualNetwork Network { get; }

    public TestScheduler Clock => Network.Clock;

    public Reactor Reactor => Network.Reactor;

    public EventLoop Loop => Network.Loop;

    public Testing.StringTransportConnector Connector => Network.Connector;

    public ClientConnectionService<ToyLineProtocol, ToyRequest> Service { get; }

    public string Written => Network.Written;

    /// <param name="reactor">Names the reactor for tests of one reactor's own behaviour; the run's own when null.</param>
    public static async Task<ToyService> StartAsync(ClientConnectionOptions? options = null, string? hello = null, ClientTelemetry? telemetry = null, string? reactor = null)
    {
        var toy = new ToyService(options ?? new ClientConnectionOptions(), hello, telemetry, reactor);
        await toy.Settle();
        return toy;
    }

    public Task Settle() => Network.Settle();

    public Task OnLoop(Action action) => Network.OnLoop(action);

    public async Task<ToyRequest> Submit(string line, TimeSpan? timeout = null)
    {
        var request = new ToyRequest(line);
        Service.Submit(request, timeout);
        await Settle();
        return request;
    }

    public Task Accept() => Network.Accept();

    public Task Reply(string lines) => Network.Reply(lines);

    public Task Advance(TimeSpan by) => Network.Advance(by);

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Network.DisposeAsync();
    }
}
