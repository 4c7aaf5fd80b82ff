using System.Reactive;
using System.Text;

namespace ReactiveKv.Pegasus;

/// <summary>
/// One Pegasus table: each operation is routed by the Pegasus CRC64 of its hash key to the partition's primary and
/// returns a <see cref="Deferred{T}"/> that is already on its way. Routing errors refresh the configuration (rate
/// limited) and the operation is retried until its deadline. A missing record is a value (null, false), never an
/// exception; server failures are <see cref="PegasusException"/>s naming table, operation, partition, server and key.
/// </summary>
public sealed partial class PegasusTable : IPegasusTable
{
    private readonly PegasusClient _client;
    private TableConfiguration _configuration;
    private Task? _refreshing;
    private DateTimeOffset _lastRefresh;

    internal PegasusTable(PegasusClient client, string name, TableConfiguration configuration)
    {
        _client = client;
        Name = name;
        _configuration = configuration;
        _lastRefresh = client.Loop.Now;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int AppId => _configuration.AppId;

    /// <inheritdoc />
    public int PartitionCount => _configuration.PartitionCount;

    private PegasusOptions Options => _client.Options;

    private EventLoop Loop => _client.Loop;

    /// <inheritdoc />
    public Deferred<byte[]?> Get(byte[] hashKey, byte[] sortKey, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, sortKey);
        var key = PegasusKey.Compose(hashKey, sortKey);
        return Run("get", hashKey, sortKey, RpcNames.Get, new BlobArgs(key), ReadResponse.Read, (r, c) => r.Error switch
        {
            0 => r.Value,
            1 => null,
            _ => throw c.Status(r.Error),
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<Unit> Set(byte[] hashKey, byte[] sortKey, byte[] value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, sortKey, value);
        var request = new UpdateRequest { Key = PegasusKey.Compose(hashKey, sortKey), Value = value, ExpireTs = ExpireTs(ttl) };
        return Run("set", hashKey, sortKey, RpcNames.Put, request, UpdateResponse.Read, (r, c) => r.Error == 0 ? Unit.Default : throw c.Status(r.Error), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<Unit> Remove(byte[] hashKey, byte[] sortKey, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, sortKey);
        return Run("remove", hashKey, sortKey, RpcNames.Remove, new BlobArgs(PegasusKey.Compose(hashKey, sortKey)), UpdateResponse.Read,
            (r, c) => r.Error == 0 ? Unit.Default : throw c.Status(r.Error), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<bool> Exist(byte[] hashKey, byte[] sortKey, CancellationToken cancellationToken = default) =>
        Ttl(hashKey, sortKey, cancellationToken).Then(ttl => ttl is not null);

    /// <inheritdoc />
    public Deferred<int?> Ttl(byte[] hashKey, byte[] sortKey, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, sortKey);
        return Run("ttl", hashKey, sortKey, RpcNames.Ttl, new BlobArgs(PegasusKey.Compose(hashKey, sortKey)), TtlResponse.Read, (r, c) => r.Error switch
        {
            0 => (int?)r.TtlSeconds,
            1 => null,
            _ => throw c.Status(r.Error),
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<long> Incr(byte[] hashKey, byte[] sortKey, long increment, int ttlSeconds = 0, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, sortKey);
        var expire = ttlSeconds > 0 ? PegasusEpoch.Seconds(Loop.Now) + ttlSeconds : ttlSeconds;
        var request = new IncrRequest { Key = PegasusKey.Compose(hashKey, sortKey), Increment = increment, ExpireTs = expire };
        return Run("incr", hashKey, sortKey, RpcNames.Incr, request, IncrResponse.Read, (r, c) => r.Error == 0 ? r.NewValue : throw c.Status(r.Error), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<long> SortKeyCount(byte[] hashKey, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, []);
        return Run("sortkey_count", hashKey, [], RpcNames.SortKeyCount, new BlobArgs(hashKey), CountResponse.Read, (r, c) => r.Error == 0 ? r.Count : throw c.Status(r.Error), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<Unit> MultiSet(byte[] hashKey, IReadOnlyList<KeyValuePair<byte[], byte[]>> values, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, []);
        if (values.Count == 0)
        {
            throw new ArgumentException("multi_set needs at least one value.", nameof(values));
        }

        CheckMultiSet(values);
        var request = new MultiPutRequest { HashKey = hashKey, ExpireTs = ExpireTs(ttl), Kvs = [.. values.Select(v => new KeyValue { Key = v.Key, Value = v.Value })] };
        return Run("multi_set", hashKey, [], RpcNames.MultiPut, request, UpdateResponse.Read, (r, c) => r.Error == 0 ? Unit.Default : throw c.Status(r.Error), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<long> MultiDel(byte[] hashKey, IReadOnlyList<byte[]> sortKeys, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, []);
        if (sortKeys.Count == 0)
        {
            throw new ArgumentException("multi_del needs at least one sort key.", nameof(sortKeys));
        }

        var request = new MultiRemoveRequest { HashKey = hashKey, SortKeys = [.. sortKeys] };
        return Run("multi_del", hashKey, [], RpcNames.MultiRemove, request, MultiRemoveResponse.Read, (r, c) => r.Error == 0 ? r.Count : throw c.Status(r.Error), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<MultiGetResult> MultiGet(byte[] hashKey, IReadOnlyList<byte[]> sortKeys, int maxCount = 0, int maxSize = 0, bool noValue = false, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, []);

        // As the Java client: de-duplicated and sorted, so the server's request-order answer is ascending too.
        var keys = sortKeys.Distinct(ByteArrayComparer.Instance).Order(ByteArrayComparer.Instance).ToList();
        var request = new MultiGetRequest { HashKey = hashKey, SortKeys = keys, MaxKvCount = maxCount, MaxKvSize = maxSize, NoValue = noValue, StartInclusive = true };
        return Run("multi_get", hashKey, [], RpcNames.MultiGet, request, MultiGetResponse.Read, (r, c) => ToResult(r, c), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<MultiGetResult> MultiGet(byte[] hashKey, byte[] startSortKey, byte[] stopSortKey, MultiGetOptions? options = null, int maxCount = 100, int maxSize = 1_000_000, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, []);
        options ??= new MultiGetOptions();
        var request = new MultiGetRequest
        {
            HashKey = hashKey,
            MaxKvCount = maxCount,
            MaxKvSize = maxSize,
            NoValue = options.NoValue,
            StartSortKey = startSortKey,
            StopSortKey = stopSortKey,
            StartInclusive = options.StartInclusive,
            StopInclusive = options.StopInclusive,
            SortKeyFilterType = (int)options.SortKeyFilterType,
            SortKeyFilterPattern = options.SortKeyFilterPattern,
            Reverse = options.Reverse,
        };
        return Run("multi_get", hashKey, [], RpcNames.MultiGet, request, MultiGetResponse.Read, (r, c) => ToResult(r, c), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<MultiGetResult> GetSortKeys(byte[] hashKey, int maxCount = 100, int maxSize = 1_000_000, CancellationToken cancellationToken = default) =>
        MultiGet(hashKey, [], [], new MultiGetOptions { NoValue = true }, maxCount, maxSize, cancellationToken);

    /// <inheritdoc />
    public Deferred<CheckAndSetResult> CheckAndSet(byte[] hashKey, byte[] checkSortKey, CheckType checkType, byte[] checkOperand, byte[] setSortKey, byte[] setValue, TimeSpan? ttl = null, bool returnCheckValue = false, CancellationToken cancellationToken = default)
    {
        Validate(hashKey, checkSortKey, setValue);
        var request = new CheckAndSetRequest
        {
            HashKey = hashKey,
            CheckSortKey = checkSortKey,
            CheckType = (int)checkType,
            CheckOperand = checkOperand,
            SetDiffSortKey = !checkSortKey.AsSpan().SequenceEqual(setSortKey),
            SetSortKey = setSortKey,
            SetValue = setValue,
            SetExpireTs = ExpireTs(ttl),
            ReturnCheckValue = returnCheckValue,
        };
        return Run("check_and_set", hashKey, checkSortKey, RpcNames.CheckAndSet, request, CheckAndSetResponse.Read, (r, c) => r.Error switch
        {
            0 or 13 => new CheckAndSetResult(r.Error == 0, r.CheckValueReturned, r.CheckValueExist, r.CheckValueReturned && r.CheckValueExist ? r.CheckValue : null),
            _ => throw c.Status(r.Error),
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<CheckAndSetResult> CompareExchange(byte[] hashKey, byte[] sortKey, byte[] expected, byte[] desired, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        CheckAndSet(hashKey, sortKey, CheckType.ValueBytesEqual, expected, sortKey, desired, ttl, returnCheckValue: true, cancellationToken);

    /// <inheritdoc />
    public Deferred<Unit> Refresh(CancellationToken cancellationToken = default) => _client.OnLoop(async () =>
    {
        _lastRefresh = DateTimeOffset.MinValue;
        await RefreshAsync();
        return Unit.Default;
    }, cancellationToken);

    private static MultiGetResult ToResult(MultiGetResponse response, OperationContext context) => response.Error switch
    {
        0 or 7 => new MultiGetResult([.. response.Kvs.Select(kv => new KeyValuePair<byte[], byte[]>(kv.Key, kv.Value))], response.Error == 0),
        _ => throw context.Status(response.Error),
    };

    private int ExpireTs(TimeSpan? ttl) => ttl is { } t && t > TimeSpan.Zero ? PegasusEpoch.ExpireAt(Loop.Now, t) : 0;

    private void Validate(byte[] hashKey, byte[] sortKey, byte[]? value = null)
    {
        ArgumentNullException.ThrowIfNull(hashKey);
        ArgumentNullException.ThrowIfNull(sortKey);
        if (hashKey.Length > PegasusKey.MaxHashKeyLength)
        {
            throw new ArgumentException($"A Pegasus hash key must be shorter than 65535 bytes; this one has {hashKey.Length}.", nameof(hashKey));
        }

        var limits = Options.Limits;
        if (!limits.Enabled)
        {
            return;
        }

        if (hashKey.Length > limits.MaxKeyBytes || sortKey.Length > limits.MaxKeyBytes)
        {
            throw new ArgumentException($"Pegasus keys are limited to {limits.MaxKeyBytes} bytes here (hash key {hashKey.Length}, sort key {sortKey.Length}); raise PegasusLimits.MaxKeyBytes to send more.");
        }

        if (value is not null && value.Length > limits.MaxValueBytes)
        {
            throw new ArgumentException($"A Pegasus value is limited to {limits.MaxValueBytes} bytes here; this one has {value.Length}. Raise PegasusLimits.MaxValueBytes to send more.", nameof(value));
        }
    }

    private void CheckMultiSet(IReadOnlyList<KeyValuePair<byte[], byte[]>> values)
    {
        var limits = Options.Limits;
        if (!limits.Enabled)
        {
            return;
        }

        if (values.Count > limits.MaxMultiSetCount)
        {
            throw new ArgumentException($"multi_set is limited to {limits.MaxMultiSetCount} values here; this one has {values.Count}.", nameof(values));
        }

        var total = 0L;
        foreach (var (sortKey, value) in values)
        {
            Validate([], sortKey, value);
            total += value.Length;
        }

        if (total > limits.MaxMultiSetBytes)
        {
            throw new ArgumentException($"multi_set is limited to {limits.MaxMultiSetBytes} bytes of values here; this one has {total}.", nameof(values));
        }
    }

    internal static string Describe(byte[] hashKey, byte[] sortKey)
    {
        static string Show(byte[] bytes)
        {
            var text = bytes.Length > 32 ? bytes[..32] : bytes;
            var shown = text.All(b => b is >= 0x20 and < 0x7F) ? Encoding.ASCII.GetString(text) : Convert.ToHexString(text);
            return bytes.Length > 32 ? shown + "…" : shown;
        }

        return $"{Show(hashKey)}:{Show(sortKey)}";
    }
}
