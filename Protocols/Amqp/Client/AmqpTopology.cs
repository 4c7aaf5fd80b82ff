namespace ReactiveKv.Amqp;

/// <summary>
/// The exchanges, queues and bindings declared through a connection, kept so recovery can declare them again on a
/// new connection. A server-named queue is declared again with an empty name; its new name replaces the old one in
/// the bindings and consumers that use it. Any thread.
/// </summary>
internal sealed class AmqpTopology
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ExchangeDeclare> _exchanges = [];
    private readonly Dictionary<string, QueueDeclare> _queues = [];
    private readonly List<IAmqpMethod> _bindings = [];
    private volatile bool _paused;

    /// <summary>
    /// While true (the recovery setup hook runs), declarations are not recorded: the hook declares them again on
    /// every recovery itself, and recording them would declare them twice, a server-named queue once more each time.
    /// </summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    public void RecordExchange(ExchangeDeclare declare)
    {
        if (_paused)
        {
            return;
        }

        lock (_gate)
        {
            _exchanges[declare.Exchange] = declare;
        }
    }

    public void RemoveExchange(string exchange)
    {
        lock (_gate)
        {
            _exchanges.Remove(exchange);
            _bindings.RemoveAll(b => b switch
            {
                QueueBind q => q.Exchange == exchange,
                ExchangeBind e => e.Source == exchange || e.Destination == exchange,
                _ => false,
            });
        }
    }

    /// <summary>Records a declared queue under the name the broker answered with.</summary>
    public void RecordQueue(QueueDeclare declare, string name)
    {
        if (_paused)
        {
            return;
        }

        lock (_gate)
        {
            _queues[name] = declare;
        }
    }

    public void RemoveQueue(string queue)
    {
        lock (_gate)
        {
            _queues.Remove(queue);
            _bindings.RemoveAll(b => b is QueueBind q && q.Queue == queue);
        }
    }

    public void RecordBinding(IAmqpMethod binding)
    {
        if (_paused)
        {
            return;
        }

        lock (_gate)
        {
            if (!_bindings.Contains(binding))
            {
                _bindings.Add(binding);
            }
        }
    }

    public void RemoveBinding(IAmqpMethod binding)
    {
        lock (_gate)
        {
            _bindings.Remove(binding);
        }
    }

    /// <summary>A server-named queue came back under a new name.</summary>
    public void RenameQueue(string from, string to)
    {
        lock (_gate)
        {
            if (_queues.Remove(from, out var declare))
            {
                _queues[to] = declare;
            }

            for (var i = 0; i < _bindings.Count; i++)
            {
                if (_bindings[i] is QueueBind q && q.Queue == from)
                {
                    _bindings[i] = q with { Queue = to };
                }
            }
        }
    }

    public (KeyValuePair<string, ExchangeDeclare>[] Exchanges, KeyValuePair<string, QueueDeclare>[] Queues, IAmqpMethod[] Bindings) Snapshot()
    {
        lock (_gate)
        {
            return ([.. _exchanges], [.. _queues], [.. _bindings]);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _exchanges.Count + _queues.Count + _bindings.Count;
            }
        }
    }
}
