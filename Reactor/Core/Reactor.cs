using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Reactive;
using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ReactiveKv;

/// <summary>
/// The event loop group and the ways in and out of it (Twisted's reactor): timers, calls from other threads,
/// lifecycle triggers, listening and connecting. Unlike Twisted's, it is an ordinary object: many may exist, and
/// each can be started, stopped and started again. As an Rx <see cref="IScheduler"/> it schedules on its main loop.
/// </summary>
public sealed class Reactor : IScheduler, IAsyncDisposable, IDisposable
{
    private readonly ReactorOptions _options;
    private readonly SystemEventTriggers _triggers = new();
    private readonly List<Action> _whenRunning = [];
    private readonly object _gate = new();
    private readonly ConnectionTracker _open = new();
    private EventLoopGroup _loops;
    private TaskCompletionSource? _stopped;
    private Task? _stopping;

    /// <summary>Creates a reactor; nothing runs until <see cref="Start"/>, <see cref="Run"/> or <see cref="React"/>.</summary>
    public Reactor(ReactorOptions? options = null)
    {
        _options = options ?? new ReactorOptions();
        Logger = _options.LoggerFactory?.CreateLogger("ReactiveKv.Reactor") ?? NullLogger.Instance;
        _loops = NewLoops();

        // Twisted closes ports and connections "during" shutdown, after "before" triggers had their chance to flush.
        _triggers.Add(TriggerPhase.During, SystemEvent.Shutdown, () => System.Reactive.Linq.Observable.FromAsync(_open.CloseAllAsync));
    }

    /// <summary>The loops; connections are spread over them.</summary>
    public EventLoopGroup Loops => _loops;

    /// <summary>The first loop: timers, <see cref="CallFromThread"/> and the <see cref="IScheduler"/> methods run here.</summary>
    public EventLoop MainLoop => _loops[0];

    /// <summary>The clock every timer reads: the virtual one from the options, or the main loop.</summary>
    public IScheduler Clock => MainLoop;

    /// <summary>True between <see cref="Start"/> and the end of <see cref="StopAsync"/>.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>The options it was built with.</summary>
    public ReactorOptions Options => _options;

    /// <summary>The reactor's logger.</summary>
    public ILogger Logger { get; }

    /// <inheritdoc />
    public DateTimeOffset Now => MainLoop.Now;

    /// <summary>Starts the loops without blocking, and runs the startup triggers and <see cref="CallWhenRunning"/> calls.</summary>
    public void Start()
    {
        Action[] pending;
        lock (_gate)
        {
            if (IsRunning)
            {
                throw new InvalidOperationException("The reactor is already running.");
            }

            if (_stopping is not null)
            {
                _loops = NewLoops();
                _stopping = null;
            }

            IsRunning = true;
            _stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pending = [.. _whenRunning];
            _whenRunning.Clear();
        }

        _loops.Start();
        MainLoop.CallFromThread(() => _ = _triggers.FireAsync(SystemEvent.Startup, LogTriggerError));
        foreach (var action in pending)
        {
            MainLoop.CallFromThread(action);
        }
    }

    /// <summary>Starts the reactor and blocks until it is stopped. Not allowed on a loop thread.</summary>
    public void Run()
    {
        if (EventLoop.Current is not null)
        {
            throw new BlockingCallOnReactorThreadException("Run blocks until the reactor stops, so it cannot be called on a reactor thread.");
        }

        Start();
        _stopped!.Task.GetAwaiter().GetResult();
    }

    /// <summary>Begins stopping: runs the shutdown triggers (waiting for their results), then stops the loops. Safe from any thread.</summary>
    public void Stop() => _ = StopAsync();

    /// <summary>Stops as <see cref="Stop"/> does and completes when the loops have stopped.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            if (!IsRunning)
            {
                return _stopping ?? Task.CompletedTask;
            }

            return _stopping ??= Task.Run(ShutdownAsync);
        }
    }

    /// <summary>Completes when the reactor has stopped (after a <see cref="Stop"/> from anywhere).</summary>
    public Task WhenStopped => _stopped?.Task ?? Task.CompletedTask;

    /// <summary>Runs <paramref name="action"/> on the main loop once the reactor runs (at once if it already does).</summary>
    public void CallWhenRunning(Action action)
    {
        lock (_gate)
        {
            if (!IsRunning)
            {
                _whenRunning.Add(action);
                return;
            }
        }

        MainLoop.CallFromThread(action);
    }

    /// <summary>Queues <paramref name="action"/> on the main loop; the thread-safe way in (Twisted's <c>callFromThread</c>).</summary>
    public void CallFromThread(Action action) => MainLoop.CallFromThread(action);

    /// <summary>Runs <paramref name="action"/> on the main loop after <paramref name="delay"/> on the reactor clock. Loop thread.</summary>
    public IDelayedCall CallLater(TimeSpan delay, Action action) => MainLoop.CallLater(delay, action);

    /// <summary>Runs blocking work on the thread pool; the result comes back on the main loop (Twisted's <c>deferToThread</c>).</summary>
    public Deferred<T> DeferToThread<T>(Func<T> work)
    {
        var result = new Deferred<T>();
        ThreadPool.UnsafeQueueUserWorkItem(
            _ =>
            {
                try
                {
                    var value = work();
                    MainLoop.CallFromThread(() => result.TryCallback(value));
                }
                catch (Exception e)
                {
                    MainLoop.CallFromThread(() => result.TryErrback(e));
                }
            },
            null);
        return result;
    }

    /// <summary>
    /// Adds a lifecycle hook. A trigger may return an observable; the phase waits for it (shutdown "before" triggers
    /// use this to flush). Returns a handle for <see cref="RemoveSystemEventTrigger"/>.
    /// </summary>
    public object AddSystemEventTrigger(TriggerPhase phase, SystemEvent systemEvent, Func<IObservable<Unit>?> trigger) =>
        _triggers.Add(phase, systemEvent, trigger);

    /// <summary>Removes a trigger added by <see cref="AddSystemEventTrigger"/>.</summary>
    public void RemoveSystemEventTrigger(object handle) => _triggers.Remove(handle);

    /// <summary>Connects over TCP; the factory hears the outcome. Host names are resolved and every address tried.</summary>
    /// <remarks>Pass <c>loop</c> to bind the connection to a chosen loop (default: the next one) when state of yours must live on that loop from the start.</remarks>
    public IConnector ConnectTcp(string host, int port, IClientFactory factory, TimeSpan? timeout = null, TransportOptions? options = null, EventLoop? loop = null) =>
        StartConnector(ToEndPoint(host, port), factory, timeout, options, null, loop);

    /// <summary>Connects over TLS. Certificates are verified unless <paramref name="tls"/> says otherwise; the target host defaults to <paramref name="host"/>.</summary>
    /// <remarks>Pass <c>loop</c> to bind the connection to a chosen loop (default: the next one).</remarks>
    public IConnector ConnectTls(string host, int port, IClientFactory factory, SslClientAuthenticationOptions? tls = null, TimeSpan? timeout = null, TransportOptions? options = null, EventLoop? loop = null)
    {
        return StartConnector(ToEndPoint(host, port), factory, timeout, options, TlsClientOptions.ForHost(tls, host), loop);
    }

    /// <summary>Connects to a Unix domain socket.</summary>
    /// <remarks>Pass <c>loop</c> to bind the connection to a chosen loop (default: the next one).</remarks>
    public IConnector ConnectUnix(string path, IClientFactory factory, TimeSpan? timeout = null, TransportOptions? options = null, EventLoop? loop = null) =>
        StartConnector(new UnixDomainSocketEndPoint(path), factory, timeout, options, null, loop);

    /// <summary>
    /// Listens on TCP. <paramref name="interfaceAddress"/> defaults to loopback (Twisted's default is every interface:
    /// pass "0.0.0.0" or "::" for that). Port 0 picks a free port; read it from <see cref="IListeningPort.Port"/>.
    /// </summary>
    /// <exception cref="CannotListenException">The address is in use or not bindable.</exception>
    public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = 50, string interfaceAddress = "127.0.0.1", TransportOptions? options = null) =>
        StartListening(new IPEndPoint(IPAddress.Parse(interfaceAddress), port), factory, backlog, options, null);

    /// <summary>Listens on TCP with TLS, using the certificate in <paramref name="tls"/>.</summary>
    public IListeningPort ListenTls(int port, IProtocolFactory factory, SslServerAuthenticationOptions tls, int backlog = 50, string interfaceAddress = "127.0.0.1", TransportOptions? options = null) =>
        StartListening(new IPEndPoint(IPAddress.Parse(interfaceAddress), port), factory, backlog, options, tls);

    /// <summary>Listens on a Unix domain socket at <paramref name="path"/> (a stale socket file there is replaced).</summary>
    public IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = 50, TransportOptions? options = null)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return StartListening(new UnixDomainSocketEndPoint(path), factory, backlog, options, null, path);
    }

    /// <summary>
    /// Runs <paramref name="main"/> on a new reactor and stops when its task ends (Twisted's <c>task.react</c>).
    /// Returns 0 on success and 1 on failure (the error is written to standard error).
    /// </summary>
    public static int React(Func<Reactor, Task> main, ReactorOptions? options = null)
    {
        using var reactor = new Reactor(options);
        var exitCode = 0;
        reactor.CallWhenRunning(async () =>
        {
            try
            {
                await main(reactor);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                exitCode = 1;
            }
            finally
            {
                reactor.Stop();
            }
        });
        reactor.Run();
        return exitCode;
    }

    /// <inheritdoc />
    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) => MainLoop.Schedule(state, action);

    /// <inheritdoc />
    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) => MainLoop.Schedule(state, dueTime, action);

    /// <inheritdoc />
    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) => MainLoop.Schedule(state, dueTime, action);

    /// <summary>Stops the reactor and waits for it.</summary>
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>Stops the reactor and waits for it. Not on a loop thread.</summary>
    public void Dispose()
    {
        if (EventLoop.Current is null)
        {
            StopAsync().GetAwaiter().GetResult();
        }
        else
        {
            Stop();
        }
    }

    private EventLoopGroup NewLoops() => _options.Backend?.CreateLoops(_options, Logger) ?? new(_options.LoopCount, _options.Clock, Logger, _options.Name, _options.NativePolling) { ResumeAwaitersOnLoop = _options.ResumeAwaitersOnLoop };

    private async Task ShutdownAsync()
    {
        await _triggers.FireAsync(SystemEvent.Shutdown, LogTriggerError).ConfigureAwait(false);
        _loops.Stop();
        lock (_gate)
        {
            IsRunning = false;
        }

        _stopped?.TrySetResult();
    }

    private void LogTriggerError(Exception e) => Logger.LogError(e, "A system event trigger failed");

    private IConnector StartConnector(EndPoint destination, IClientFactory factory, TimeSpan? timeout, TransportOptions? options, SslClientAuthenticationOptions? tls, EventLoop? loop)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var opener = _options.Backend?.OpenerFor(destination);
        var connector = new StreamConnector(loop ?? _loops.Next(), destination, factory, timeout ?? _options.ConnectTimeout, options ?? _options.Transport, tls, Logger, _open, opener);
        connector.Connect();
        return connector;
    }

    private IListeningPort StartListening(EndPoint address, IProtocolFactory factory, int backlog, TransportOptions? options, SslServerAuthenticationOptions? tls, string? unixPath = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (_options.Backend?.Listen(_loops, address, factory, backlog, options ?? _options.Transport, tls, Logger, _open) is { } listening)
        {
            return listening;
        }

        var socket = address is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(address);
            socket.Listen(backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new CannotListenException($"Cannot listen on {address}: {e.Message}", e);
        }

        var port = new StreamListeningPort(socket, _loops, factory, options ?? _options.Transport, tls, Logger, unixPath, _open);
        port.Start();
        return port;
    }

    private static EndPoint ToEndPoint(string host, int port) =>
        IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
}
