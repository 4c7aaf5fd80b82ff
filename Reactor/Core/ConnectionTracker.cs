using System.Reactive.Threading.Tasks;

namespace ReactiveKv;

/// <summary>
/// What a reactor has open (ports, connectors, connections), so that stopping it closes them as Twisted's shutdown
/// does, instead of leaving sockets whose callbacks would go to stopped loops.
/// </summary>
internal sealed class ConnectionTracker
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly HashSet<IListeningPort> _ports = [];
    private readonly HashSet<StreamConnector> _connectors = [];
    private readonly HashSet<IConnectionTransport> _transports = [];
    private TaskCompletionSource? _empty;

    public void Add(IListeningPort port) => Update(() => _ports.Add(port));

    public void Remove(IListeningPort port) => Update(() => _ports.Remove(port));

    public void Add(StreamConnector connector) => Update(() => _connectors.Add(connector));

    public void Remove(StreamConnector connector) => Update(() => _connectors.Remove(connector));

    public void Add(IConnectionTransport transport) => Update(() => _transports.Add(transport));

    public void Remove(IConnectionTransport transport) => Update(() =>
    {
        _transports.Remove(transport);
        if (_transports.Count == 0)
        {
            _empty?.TrySetResult();
        }
    });

    /// <summary>Stops listening and connecting, closes connections after their pending writes, aborts stragglers.</summary>
    public async Task CloseAllAsync()
    {
        IListeningPort[] ports;
        StreamConnector[] connectors;
        IConnectionTransport[] transports;
        Task empty;
        lock (_gate)
        {
            ports = [.. _ports];
            connectors = [.. _connectors];
            transports = [.. _transports];
            _empty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_transports.Count == 0)
            {
                _empty.SetResult();
            }

            empty = _empty.Task;
        }

        foreach (var connector in connectors)
        {
            connector.Shutdown();
        }

        var stopped = ports.Select(p => p.StopListening().ToTask()).ToList();
        foreach (var transport in transports)
        {
            transport.LoseConnection();
        }

        await Task.WhenAll(stopped).ConfigureAwait(false);
        if (await Task.WhenAny(empty, Task.Delay(GracePeriod)).ConfigureAwait(false) != empty)
        {
            foreach (var transport in transports)
            {
                transport.AbortConnection();
            }

            await Task.WhenAny(empty, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        }
    }

    private void Update(Action change)
    {
        lock (_gate)
        {
            change();
        }
    }
}
