using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Runtime.CompilerServices;

namespace ReactiveKv.Redis;

/// <summary>
/// Commands on the shared, multiplexed connection, in one database (justredis's <c>database(n)</c>): the client
/// selects the database itself, so raw SELECT is refused. Also the cold SCAN-family streams.
/// </summary>
public sealed class RedisDatabase : RedisCommands, IRedisDatabase
{
    private readonly RedisClient _client;
    private readonly TimeSpan? _timeout;

    internal RedisDatabase(RedisClient client, int database, TimeSpan? timeout)
        : base(database)
    {
        _client = client;
        _timeout = timeout;
    }

    /// <inheritdoc cref="IRedisDatabase.Client"/>
    public RedisClient Client => _client;

    /// <inheritdoc/>
    IRedisClient IRedisDatabase.Client => _client;

    /// <inheritdoc cref="IRedisDatabase.WithTimeout"/>
    public RedisDatabase WithTimeout(TimeSpan timeout) => new(_client, DatabaseIndex, timeout);

    /// <inheritdoc/>
    IRedisDatabase IRedisDatabase.WithTimeout(TimeSpan timeout) => WithTimeout(timeout);

    /// <inheritdoc/>
    public IObservable<string> Scan(string? pattern = null, long? pageSize = null, string? type = null) =>
        ScanPages("SCAN", null, pattern, pageSize, type).SelectMany(p => p.Items.Select(i => i!));

    /// <inheritdoc/>
    public IObservable<KeyValuePair<string, string>> HScan(RedisValue key, string? pattern = null, long? pageSize = null) =>
        ScanPages("HSCAN", key, pattern, pageSize, null).SelectMany(p => Pairs(p.Items));

    /// <inheritdoc/>
    public IObservable<string> SScan(RedisValue key, string? pattern = null, long? pageSize = null) =>
        ScanPages("SSCAN", key, pattern, pageSize, null).SelectMany(p => p.Items.Select(i => i!));

    /// <inheritdoc/>
    public IObservable<SortedSetEntry> ZScan(RedisValue key, string? pattern = null, long? pageSize = null) =>
        ScanPages("ZSCAN", key, pattern, pageSize, null).SelectMany(p => Pairs(p.Items).Select(kv =>
            new SortedSetEntry(kv.Key, double.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture))));

    /// <inheritdoc/>
    public IAsyncEnumerable<string> ScanAsync(string? pattern = null, long? pageSize = null, CancellationToken cancellationToken = default) =>
        PulledPages("SCAN", null, pattern, pageSize, cancellationToken).SelectMany(p => p.Items.Select(i => i!));

    /// <inheritdoc/>
    public IAsyncEnumerable<KeyValuePair<string, string>> HScanAsync(RedisValue key, string? pattern = null, long? pageSize = null, CancellationToken cancellationToken = default) =>
        PulledPages("HSCAN", key, pattern, pageSize, cancellationToken).SelectMany(p => Pairs(p.Items));

    /// <inheritdoc/>
    public IAsyncEnumerable<string> SScanAsync(RedisValue key, string? pattern = null, long? pageSize = null, CancellationToken cancellationToken = default) =>
        PulledPages("SSCAN", key, pattern, pageSize, cancellationToken).SelectMany(p => p.Items.Select(i => i!));

    /// <inheritdoc/>
    public IAsyncEnumerable<SortedSetEntry> ZScanAsync(RedisValue key, string? pattern = null, long? pageSize = null, CancellationToken cancellationToken = default) =>
        PulledPages("ZSCAN", key, pattern, pageSize, cancellationToken).SelectMany(p => Pairs(p.Items).Select(kv =>
            new SortedSetEntry(kv.Key, double.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture))));

    private async IAsyncEnumerable<ScanPage> PulledPages(string command, RedisValue? key, string? pattern, long? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var node in await NodesToScanAsync(key, cancellationToken))
        {
            var cursor = "0";
            do
            {
                var page = await RunPage(command, key, cursor, pattern, pageSize, null, node).WithCancellation(cancellationToken);
                yield return page;
                cursor = page.Cursor;
            }
            while (cursor != "0");
        }
    }

    /// <summary>A keyspace SCAN walks every primary of a cluster in turn; anything else (and a single server) has one cursor.</summary>
    private async Task<IReadOnlyList<RedisMultiplexer?>> NodesToScanAsync(RedisValue? key, CancellationToken cancellationToken)
    {
        if (key is not null)
        {
            return [null];
        }

        if (_client.Cluster is null && !_client.IsConnected)
        {
            // Connecting tells the client whether it talks to a cluster.
            await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_client.Cluster is not { } cluster)
        {
            return [null];
        }

        var primaries = await cluster.PrimariesAsync(cancellationToken).ConfigureAwait(false);
        return [.. primaries.Select(p => (RedisMultiplexer?)p.Connection)];
    }

    private protected override Deferred<T> Run<T>(RedisCommand<T> command) => _client.Submit(_client.WatchedByCache(command), _timeout);

    private protected override Deferred<T> RunGet<T>(RedisValue key, ReplyProcessor<T> processor, Func<RedisClientCache.Entry, T> hit, Func<byte[]?, T> decode) =>
        _client.Cache is { } cache ? cache.Get(this, key, hit, decode) : base.RunGet(key, processor, hit, decode);

    /// <summary>Sends a command on the shared connection with this database's timeout (the cache's misses).</summary>
    internal Deferred<T> Send<T>(RedisCommand<T> command) => Run(command);

    private IObservable<ScanPage> ScanPages(string command, RedisValue? key, string? pattern, long? pageSize, string? type) =>
        Observable.FromAsync(token => NodesToScanAsync(key, token))
            .SelectMany(nodes => nodes.Select(node => NodePages(command, key, pattern, pageSize, type, node)).Concat());

    private IObservable<ScanPage> NodePages(string command, RedisValue? key, string? pattern, long? pageSize, string? type, RedisMultiplexer? node) =>
        Observable.Create<ScanPage>(observer =>
        {
            var stop = new CancellationDisposable();
            Next("0");
            return stop;

            void Next(string cursor) => RunPage(command, key, cursor, pattern, pageSize, type, node).Subscribe(
                page =>
                {
                    if (stop.IsDisposed)
                    {
                        return;
                    }

                    observer.OnNext(page);
                    if (page.Cursor == "0")
                    {
                        observer.OnCompleted();
                    }
                    else if (!stop.IsDisposed)
                    {
                        Next(page.Cursor);
                    }
                },
                observer.OnError);
        });

    private Deferred<ScanPage> RunPage(string command, RedisValue? key, string cursor, string? pattern, long? pageSize, string? type, RedisMultiplexer? node)
    {
        var args = new List<RedisValue>(8);
        if (key is { } k)
        {
            args.Add(k);
        }

        args.Add(cursor);
        if (pattern is not null)
        {
            args.AddRange(["MATCH", pattern]);
        }

        if (pageSize is { } size)
        {
            args.AddRange(["COUNT", size]);
        }

        if (type is not null)
        {
            args.AddRange(["TYPE", type]);
        }

        return Run(new RedisCommand<ScanPage>(command, DatabaseIndex, [.. args], Replies.Scan) { PinnedTo = node });
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string?[] flat)
    {
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            yield return new(flat[i]!, flat[i + 1]!);
        }
    }
}
