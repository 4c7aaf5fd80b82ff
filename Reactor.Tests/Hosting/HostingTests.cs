using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReactiveKv.Hosting;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Hosting;

public class HostingTests
{
    [Fact]
    public async Task AGenericHost_StartsAndStopsTheReactor()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddReactor(o => o with { LoopCount = 1 });
        using var host = builder.Build();
        var reactor = host.Services.GetRequiredService<Reactor>();
        Assert.False(reactor.IsRunning);

        await host.StartAsync().Within();
        Assert.True(reactor.IsRunning);
        var port = reactor.ListenTcp(0, new ServerFactory(() => new ReactiveKv.Examples.Echo.EchoProtocol()));
        var client = new RecordingProtocol();
        await ClientEndpoint.Tcp(reactor, "127.0.0.1", port.Port).Connect(new Factory(() => client)).ToTask().Within();
        client.Transport.Write("hosted"u8);
        await client.WhenReceived(6).Within();

        await host.StopAsync().Within();
        Assert.False(reactor.IsRunning);
    }

    [Fact]
    public async Task ShutdownTriggers_RunInPhaseOrder_AndShutdownWaitsForTheirResults()
    {
        var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        var order = new List<string>();
        var flushed = new System.Reactive.Subjects.AsyncSubject<System.Reactive.Unit>();
        reactor.AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Shutdown, () =>
        {
            order.Add("after");
            return null;
        });
        reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () =>
        {
            order.Add("before");
            return flushed;
        });
        var removed = reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () =>
        {
            order.Add("removed");
            return null;
        });
        reactor.RemoveSystemEventTrigger(removed);
        reactor.Start();

        var stopping = reactor.StopAsync();
        Assert.False(stopping.IsCompleted);
        flushed.OnNext(System.Reactive.Unit.Default);
        flushed.OnCompleted();
        await stopping.Within();

        Assert.Equal(["before", "after"], order);
    }

    [Fact]
    public async Task AReactor_CanBeStartedAgain_AfterItStopped()
    {
        await using var reactor = new Reactor(new ReactorOptions { LoopCount = 1 });
        for (var round = 0; round < 2; round++)
        {
            reactor.Start();
            Assert.Equal(round, await reactor.MainLoop.InvokeAsync(() => round).Within());
            await reactor.StopAsync().Within();
        }
    }

    [Fact]
    public void React_ReturnsZeroOnSuccess_AndOneOnFailure()
    {
        Assert.Equal(0, Reactor.React(async r => await Deferred.Later(r, TimeSpan.FromMilliseconds(1))));
        Assert.Equal(1, Reactor.React(_ => throw new InvalidOperationException("main failed")));
    }

    [Fact]
    public void Run_OnALoopThread_FailsFast()
    {
        Assert.Equal(1, Reactor.React(r =>
        {
            r.Run();
            return Task.CompletedTask;
        }));
    }

    [Fact]
    public async Task Counters_AreVisibleThroughSystemDiagnosticsMetrics()
    {
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReactorDiagnostics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (seen)
            {
                seen[instrument.Name] = seen.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();

        await using (var fixture = new ReactorFixture())
        {
            var client = new RecordingProtocol();
            await fixture.ConnectPairAsync(() => new EchoingRecorder(), client);
            client.Transport.Write(new byte[1000]);
            await client.WhenReceived(1000).Within();
        }

        listener.RecordObservableInstruments();
        lock (seen)
        {
            Assert.True(seen.GetValueOrDefault("reactivekv.bytes_sent") >= 2000);
            Assert.True(seen.GetValueOrDefault("reactivekv.bytes_received") >= 2000);
            Assert.True(seen.ContainsKey("reactivekv.connections"));
            Assert.True(seen.ContainsKey("reactivekv.pending_write_bytes"));
        }
    }

    private sealed class EchoingRecorder : RecordingProtocol
    {
        public override SequencePosition DataReceived(in System.Buffers.ReadOnlySequence<byte> data)
        {
            Transport.WriteSequence(data);
            return base.DataReceived(data);
        }
    }
}
