using System.Collections.Concurrent;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Clients;

/// <summary>
/// The connection events and state the shared service reports, on virtual time: connect, loss, scheduled attempts,
/// failures, giving up, disposal; and how a monitor shared by several connections folds their states into one.
/// </summary>
[Trait("Category", "Unit")]
public class ClientConnectionEventsTests
{
    [Fact]
    public async Task TheService_ReportsEachChange_InOrder_WithItsState()
    {
        var options = new ClientConnectionOptions
        {
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0, MaxRetries = 2 },
        };
        var toy = await ToyService.StartAsync(options);
        var events = new ConcurrentQueue<ClientConnectionEvent>();
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var recording = toy.Service.ConnectionEvents.Subscribe(events.Enqueue, completed.SetResult);
        Assert.Equal(ClientConnectionState.Connecting, toy.Service.State);

        await toy.Accept();
        Assert.Equal(ClientConnectionState.Connected, toy.Service.State);
        Assert.Equal(ClientConnectionState.Connected, toy.Service.Monitor.State);

        await toy.OnLoop(() => toy.Connector.Drop());
        Assert.Equal(ClientConnectionState.Reconnecting, toy.Service.State);
        await toy.Advance(TimeSpan.FromMilliseconds(100));
        await toy.OnLoop(() => toy.Connector.Refuse());
        await toy.Advance(TimeSpan.FromMilliseconds(100));
        await toy.OnLoop(() => toy.Connector.Refuse());

        Assert.Equal(ClientConnectionState.Unreachable, toy.Service.State);
        Assert.IsType<ConnectionRefusedException>(toy.Service.Monitor.LastError);
        await toy.DisposeAsync();
        await completed.Task.Within();

        Assert.Equal(
            [
                ClientConnectionEventKind.Connected,
                ClientConnectionEventKind.Disconnected,
                ClientConnectionEventKind.ReconnectScheduled,
                ClientConnectionEventKind.ConnectFailed,
                ClientConnectionEventKind.ReconnectScheduled,
                ClientConnectionEventKind.ConnectFailed,
                ClientConnectionEventKind.GaveUp,
                ClientConnectionEventKind.Closed,
            ],
            events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(("Toy", "toy:1"), (e.Backend, e.Server)));
        var scheduled = events.Where(e => e.Kind == ClientConnectionEventKind.ReconnectScheduled).ToList();
        Assert.Equal([1, 2], scheduled.Select(e => e.Attempt));
        Assert.All(scheduled, e => Assert.Equal(TimeSpan.FromMilliseconds(100), e.Delay));
        Assert.IsType<ConnectionRefusedException>(events.Last(e => e.Kind == ClientConnectionEventKind.GaveUp).Reason);
        Assert.Equal(ClientConnectionState.Closed, toy.Service.State);
        Assert.Equal(ClientConnectionState.Closed, toy.Service.Monitor.State);
    }

    [Fact]
    public void AMonitor_FoldsTheStatesOfItsConnections_LeavingIdleOnesOut()
    {
        using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        var monitor = new ClientConnectionMonitor(reactor, "Toy");
        object a = new(), b = new(), c = new();

        Assert.Equal(ClientConnectionState.Idle, monitor.State);
        monitor.Report(a, ClientConnectionState.Connected);
        monitor.Report(b, ClientConnectionState.Idle);
        Assert.Equal(ClientConnectionState.Connected, monitor.State);

        monitor.Report(c, ClientConnectionState.Reconnecting);
        Assert.Equal(ClientConnectionState.Reconnecting, monitor.State);
        monitor.Report(a, ClientConnectionState.Unreachable);
        Assert.Equal(ClientConnectionState.Reconnecting, monitor.State);
        monitor.Report(c, ClientConnectionState.Closed);
        Assert.Equal(ClientConnectionState.Unreachable, monitor.State);
        monitor.Report(a, ClientConnectionState.Connecting);
        Assert.Equal(ClientConnectionState.Connecting, monitor.State);

        monitor.Complete();
        Assert.Equal(ClientConnectionState.Closed, monitor.State);
    }
}
