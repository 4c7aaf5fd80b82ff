namespace ReactiveKv.Examples.Backends;

/// <summary>The backends the command line knows: servers by name, clients by URL scheme. New backends register here.</summary>
public sealed class BackendRegistry
{
    private readonly Dictionary<string, IServeBackend> _servers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IKvBackend> _clients = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Server names, sorted.</summary>
    public IEnumerable<string> ServerNames => _servers.Keys.Order(StringComparer.Ordinal);

    /// <summary>Client URL schemes, sorted.</summary>
    public IEnumerable<string> Schemes => _clients.Keys.Order(StringComparer.Ordinal);

    /// <summary>A registry with every backend this program ships.</summary>
    public static BackendRegistry CreateDefault() => new BackendRegistry()
        .Add(new EchoServeBackend())
        .Add(new EchoKvBackend())
        .Add(new RedisKvBackend("redis"))
        .Add(new RedisKvBackend("rediss"))
        .Add(new RedisKvBackend("unix"))
        .Add(new RedisKvBackend("redis+sentinel"))
        .Add(new RedisKvBackend("rediss+sentinel"))
        .Add(new PegasusServeBackend())
        .Add(new PegasusKvBackend())
        .Add(new KtServeBackend())
        .Add(new KtKvBackend())
        .Add(new KeyspaceServeBackend())
        .Add(new KeyspaceKvBackend())
        .Add(new AmqpKvBackend("amqp"))
        .Add(new AmqpKvBackend("amqps"));

    /// <summary>Registers a server backend under its name.</summary>
    public BackendRegistry Add(IServeBackend backend)
    {
        _servers.Add(backend.Name, backend);
        return this;
    }

    /// <summary>Registers a client backend under its scheme.</summary>
    public BackendRegistry Add(IKvBackend backend)
    {
        _clients.Add(backend.Scheme, backend);
        return this;
    }

    /// <summary>The server backend called <paramref name="name"/>, if any.</summary>
    public IServeBackend? FindServer(string name) => _servers.GetValueOrDefault(name);

    /// <summary>The client backend for <paramref name="scheme"/>, if any.</summary>
    public IKvBackend? FindClient(string scheme) => _clients.GetValueOrDefault(scheme);
}
