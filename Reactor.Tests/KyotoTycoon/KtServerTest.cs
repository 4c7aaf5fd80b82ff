using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>Per test: a started reactor, an embedded Kyoto Tycoon server on it, and a client of that server.</summary>
public abstract class KtServerTest(int loopCount) : IAsyncLifetime
{
    /// <summary>The reactor everything runs on.</summary>
    protected Reactor Reactor { get; } = new(new ReactorOptions { LoopCount = loopCount });

    /// <summary>The server, started with <see cref="ServerOptions"/>.</summary>
    protected KtServer Server { get; private set; } = null!;

    /// <summary>A client of <see cref="Server"/>.</summary>
    protected KtClient Client { get; private set; } = null!;

    /// <summary>The options the server starts with (read once the test instance exists, so they may use its fields).</summary>
    protected abstract KtServerOptions ServerOptions { get; }

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        Reactor.Start();
        Server = await KtServer.StartAsync(Reactor, ServerOptions);
        Client = KtClient.Create(Reactor, new KtOptions { Port = Server.Address.Port });
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await Reactor.DisposeAsync();
    }

    /// <summary>Completes once <paramref name="count"/> more WAIT calls are registered with the server's conditions.</summary>
    protected Task WaitersRegistered(int count)
    {
        var seen = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.Conditions.Waiting += _ =>
        {
            if (Interlocked.Increment(ref seen) == count)
            {
                all.TrySetResult();
            }
        };
        return all.Task;
    }
}
