using System.Collections.Concurrent;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Factories;

/// <summary><see cref="ResolvingConnector"/>: a lookup before every attempt, the factory hearing the resolving connector.</summary>
public class ResolvingConnectorTests
{
    [Fact]
    public async Task EveryAttempt_LooksUpAgain_SoAReconnectAfterALossGoesWhereTheLookupNowSays()
    {
        await using var fixture = new ReactorFixture();
        var (first, second) = (new Server(fixture.Reactor), new Server(fixture.Reactor));
        var answers = new ConcurrentQueue<int>([first.Port, second.Port]);
        var lookups = 0;
        var factory = new Recorder(reconnect: true);

        var connector = await fixture.Reactor.MainLoop.InvokeAsync(() => new ResolvingConnector(
            fixture.Reactor.MainLoop,
            factory,
            async _ =>
            {
                Interlocked.Increment(ref lookups);
                await Task.Yield();
                return ("127.0.0.1", answers.TryDequeue(out var port) ? port : throw new InvalidOperationException("no more answers"));
            },
            (host, port, f, loop) => fixture.Reactor.ConnectTcp(host, port, f, loop: loop)));

        var accepted = await first.Accepted.Task.Within();
        Assert.Equal(("127.0.0.1", first.Port), await fixture.Reactor.MainLoop.InvokeAsync(() => connector.Resolved));
        fixture.Reactor.MainLoop.CallFromThread(() => accepted.Transport.LoseConnection());

        await second.Accepted.Task.Within();
        Assert.Equal(2, lookups);
        Assert.Equal(("127.0.0.1", second.Port), await fixture.Reactor.MainLoop.InvokeAsync(() => connector.Resolved));
        Assert.All(factory.Connectors, c => Assert.Same(connector, c));
        Assert.Equal(["started", "lost", "started"], factory.Events.Take(3));
    }

    [Fact]
    public async Task AFailedLookup_IsAFailedAttempt_WithTheLookupsError()
    {
        await using var fixture = new ReactorFixture();
        var factory = new Recorder(reconnect: false);
        var refusal = new InvalidOperationException("nobody knows");

        var connector = await fixture.Reactor.MainLoop.InvokeAsync(() => new ResolvingConnector(
            fixture.Reactor.MainLoop, factory, _ => Task.FromException<(string, int)>(refusal), (host, port, f, loop) => fixture.Reactor.ConnectTcp(host, port, f, loop: loop)));

        Assert.Same(refusal, await factory.Failed.Task.Within());
        Assert.Equal(ConnectorState.Disconnected, await fixture.Reactor.MainLoop.InvokeAsync(() => connector.State));
        Assert.All(factory.Connectors, c => Assert.Same(connector, c));
        Assert.Equal(["started", "failed"], factory.Events);
    }

    [Fact]
    public async Task StopConnecting_DuringTheLookup_FailsTheAttempt_AndTheLateAnswerIsIgnored()
    {
        await using var fixture = new ReactorFixture();
        var server = new Server(fixture.Reactor);
        var factory = new Recorder(reconnect: false);
        // Continuations inline: the lookup's answer is posted to the loop before SetResult returns.
        var answer = new TaskCompletionSource<(string, int)>();
        var connector = await fixture.Reactor.MainLoop.InvokeAsync(() => new ResolvingConnector(
            fixture.Reactor.MainLoop, factory, _ => answer.Task, (host, port, f, loop) => fixture.Reactor.ConnectTcp(host, port, f, loop: loop)));
        Assert.Equal(ConnectorState.Connecting, await fixture.Reactor.MainLoop.InvokeAsync(() => connector.State));

        connector.StopConnecting();
        Assert.IsType<OperationCanceledException>(await factory.Failed.Task.Within());
        answer.SetResult(("127.0.0.1", server.Port));

        // Asked on the loop after the answer was posted there: it was ignored, and the connector stays idle.
        Assert.Equal((ConnectorState.Disconnected, null), await fixture.Reactor.MainLoop.InvokeAsync(() => (connector.State, connector.Resolved)));
        Assert.False(server.Accepted.Task.IsCompleted);
    }

    private sealed class Server
    {
        public Server(Reactor reactor) =>
            Port = reactor.ListenTcp(0, new ServerFactory(() =>
            {
                var protocol = new RecordingProtocol();
                Accepted.TrySetResult(protocol);
                return protocol;
            })).Port;

        public int Port { get; }

        public TaskCompletionSource<RecordingProtocol> Accepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A client factory that records what it hears (and which connector said it), reconnecting after a loss if asked.</summary>
    private sealed class Recorder(bool reconnect) : ClientFactory(() => new RecordingProtocol())
    {
        public ConcurrentQueue<IConnector> Connectors { get; } = new();

        public ConcurrentQueue<string> Events { get; } = new();

        public TaskCompletionSource<Exception> Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void StartedConnecting(IConnector connector) => Record(connector, "started");

        public override void ClientConnectionFailed(IConnector connector, Exception reason)
        {
            Record(connector, "failed");
            Failed.TrySetResult(reason);
        }

        public override void ClientConnectionLost(IConnector connector, Exception reason)
        {
            Record(connector, "lost");
            if (reconnect)
            {
                connector.Connect();
            }
        }

        private void Record(IConnector connector, string what)
        {
            Connectors.Enqueue(connector);
            Events.Enqueue(what);
        }
    }
}
