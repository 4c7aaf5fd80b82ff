using System.Runtime.CompilerServices;

namespace ReactiveKv.Keyspace;

/// <summary>
/// Listings and counts. A listing is cold (each subscription or enumeration runs it afresh) and asks the server for
/// pages of at most 1000 keys (spec §15): the next page starts AT the last key seen, with offset 0, and everything
/// not strictly past that key is dropped, so a key deleted between pages loses nothing (offset 1 would lose the key
/// after it). A backward listing with a prefix and no start key starts from the prefix padded with 0xFF bytes to the
/// largest possible key, since the server gives only one key otherwise (§12.5). Start keys are full keys.
/// </summary>
public sealed partial class KeyspaceClient
{
    // The server counts correctly only with a limit of at most 1000; without one it may never answer (§12.2).
    private const int SafeCountLimit = 999;

    /// <inheritdoc />
    public IObservable<byte[]> ListKeys(KeyspaceRange? range = null) => ListKeysAsync(range).ToObservable();

    /// <inheritdoc />
    public IObservable<byte[]> DirtyListKeys(KeyspaceRange? range = null) => DirtyListKeysAsync(range).ToObservable();

    /// <inheritdoc />
    public IObservable<KeyspaceKeyValue> ListKeyValues(KeyspaceRange? range = null) => ListKeyValuesAsync(range).ToObservable();

    /// <inheritdoc />
    public IObservable<KeyspaceKeyValue> DirtyListKeyValues(KeyspaceRange? range = null) => DirtyListKeyValuesAsync(range).ToObservable();

    /// <inheritdoc />
    public async IAsyncEnumerable<byte[]> ListKeysAsync(KeyspaceRange? range = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in Pages(KeyspaceCommand.ListKeys, range ?? KeyspaceRange.All, cancellationToken).ConfigureAwait(false))
        {
            yield return item.Key!;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<byte[]> DirtyListKeysAsync(KeyspaceRange? range = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in Pages(KeyspaceCommand.DirtyListKeys, range ?? KeyspaceRange.All, cancellationToken).ConfigureAwait(false))
        {
            yield return item.Key!;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyspaceKeyValue> ListKeyValuesAsync(KeyspaceRange? range = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in Pages(KeyspaceCommand.ListKeyValues, range ?? KeyspaceRange.All, cancellationToken).ConfigureAwait(false))
        {
            yield return new KeyspaceKeyValue(item.Key!, item.Value!);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyspaceKeyValue> DirtyListKeyValuesAsync(KeyspaceRange? range = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in Pages(KeyspaceCommand.DirtyListKeyValues, range ?? KeyspaceRange.All, cancellationToken).ConfigureAwait(false))
        {
            yield return new KeyspaceKeyValue(item.Key!, item.Value!);
        }
    }

    /// <inheritdoc />
    public Deferred<long> Count(KeyspaceRange? range = null, CancellationToken cancellationToken = default) => Deferred.FromTask(CountAsync(range ?? KeyspaceRange.All, dirty: false, cancellationToken));

    /// <inheritdoc />
    public Deferred<long> DirtyCount(KeyspaceRange? range = null, CancellationToken cancellationToken = default) => Deferred.FromTask(CountAsync(range ?? KeyspaceRange.All, dirty: true, cancellationToken));

    private async Task<long> CountAsync(KeyspaceRange range, bool dirty, CancellationToken cancellationToken)
    {
        Validate(range, dirty ? "DIRTYCOUNT" : "COUNT");
        var (start, nothing) = FirstStart(range.Prefix, range.StartKey, range.Direction == KeyspaceDirection.Backward);
        if (nothing)
        {
            return 0;
        }

        var limit = range.Limit is > 0 and <= KeyspaceLimits.ListPage ? range.Limit : SafeCountLimit;
        var wire = RangeRequest(dirty ? KeyspaceCommand.DirtyCount : KeyspaceCommand.Count, range, start, (ulong)limit, (ulong)range.Offset);
        var op = Prepared.Describe(dirty ? "DIRTYCOUNT" : "COUNT", range.Prefix);
        var counted = await Submit(Prepared<long>.Of(Prepared.Call(this, wire, op), r => r.Type == KeyspaceReplyType.Failed
            ? throw KeyspaceErrors.Instance.Failed(op, NodesText, "a count has no failure of its own; the node could not serve it")
            : Prepared.Number(r, op)), cancellationToken);
        if (counted < limit || limit == range.Limit)
        {
            return counted;
        }

        long listed = 0;
        await foreach (var _ in Pages(dirty ? KeyspaceCommand.DirtyListKeys : KeyspaceCommand.ListKeys, range, cancellationToken).ConfigureAwait(false))
        {
            listed++;
        }

        return listed;
    }

    private async IAsyncEnumerable<KeyspaceReply> Pages(KeyspaceCommand command, KeyspaceRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var verb = command switch
        {
            KeyspaceCommand.ListKeys => "LISTKEYS",
            KeyspaceCommand.DirtyListKeys => "DIRTYLISTKEYS",
            KeyspaceCommand.ListKeyValues => "LISTKEYVALUES",
            _ => "DIRTYLISTKEYVALUES",
        };
        Validate(range, verb);
        var backward = range.Direction == KeyspaceDirection.Backward;
        var (start, nothing) = FirstStart(range.Prefix, range.StartKey, backward);
        var remaining = range.Limit > 0 ? range.Limit : long.MaxValue;
        var page = new PageState(range.Prefix, start, backward, (ulong)range.Offset, backward && range.StartKey.Length > 0 ? range.StartKey : null);
        while (!nothing && remaining > 0)
        {
            var requested = (int)Math.Min(KeyspaceLimits.ListPage, remaining + (page.Last is null ? 0 : 1));
            var call = Prepared.Call(this, RangeRequest(command, range, page.Start, (ulong)requested, page.Offset), Prepared.Describe(verb, range.Prefix));
            Cluster.Send(call);
            var end = await call.Reply.ToTask(cancellationToken).ConfigureAwait(false);
            if (end.Type == KeyspaceReplyType.Failed)
            {
                // Not an empty list (the reference library's bug, §10.6): the node failed the listing and stayed connected.
                throw KeyspaceErrors.Instance.Failed(call.Operation, NodesText, "a listing has no failure of its own; the node could not serve it");
            }

            foreach (var item in call.Items)
            {
                if (page.IsNew(item.Key!) && remaining > 0)
                {
                    remaining--;
                    yield return item;
                }
            }

            nothing = !page.Continue(call.Items, requested);
        }
    }

    private static KeyspaceRequest RangeRequest(KeyspaceCommand command, KeyspaceRange range, byte[] start, ulong count, ulong offset) => new()
    {
        Command = command,
        Key = range.Prefix,
        StartKey = start,
        Count = count,
        Offset = offset,
        Backward = range.Direction == KeyspaceDirection.Backward,
    };

    private static void Validate(KeyspaceRange range, string verb)
    {
        var op = Prepared.Describe(verb, range.Prefix);
        if (range.Prefix.Length > KeyspaceLimits.MaxKeyBytes)
        {
            throw KeyspaceErrors.Instance.TooLong(op, "prefix", range.Prefix.Length, KeyspaceLimits.MaxKeyBytes);
        }

        if (range.StartKey.Length > KeyspaceLimits.MaxKeyBytes)
        {
            throw KeyspaceErrors.Instance.TooLong(op, "start key", range.StartKey.Length, KeyspaceLimits.MaxKeyBytes);
        }

        if (range.Limit < 0 || range.Offset < 0)
        {
            throw KeyspaceErrors.Instance.BadRange(op);
        }
    }

    /// <summary>
    /// The first page's start key relative to the prefix (the wire's meaning, §7.6), from a full start key; or
    /// nothing, when the start key lies on the side of the prefix range the listing walks away from.
    /// </summary>
    private static (byte[] Start, bool Nothing) FirstStart(byte[] prefix, byte[] startKey, bool backward)
    {
        if (startKey.Length > 0 && startKey.AsSpan().StartsWith(prefix))
        {
            return (startKey[prefix.Length..], false);
        }

        var below = startKey.Length > 0 && startKey.AsSpan().SequenceCompareTo(prefix) < 0;
        var above = startKey.Length > 0 && !below;
        if ((backward && below) || (!backward && above))
        {
            return ([], true);
        }

        // Backward from the top of a prefix range: the largest key the range can hold (keys are at most 1000 bytes).
        return backward && prefix.Length > 0 ? (Enumerable.Repeat((byte)0xFF, KeyspaceLimits.MaxKeyBytes - prefix.Length).ToArray(), false) : ([], false);
    }

    /// <summary>Where the next page starts and which of its keys are new.</summary>
    private sealed class PageState(byte[] prefix, byte[] start, bool backward, ulong offset, byte[]? bound)
    {
        private bool _first = true;

        public byte[] Start { get; private set; } = start;

        public ulong Offset => _first ? offset : 0;

        /// <summary>The last key the previous page ended on; null on the first page.</summary>
        public byte[]? Last { get; private set; }

        /// <summary>
        /// True for a key strictly past the previous page's last key (the next page starts AT it, and a backward start
        /// may land on a longer key that extends it); on the first page of a backward listing, a key not above the start key.
        /// </summary>
        public bool IsNew(byte[] key)
        {
            var reference = Last ?? bound;
            if (reference is null)
            {
                return true;
            }

            var order = key.AsSpan().SequenceCompareTo(reference) * (backward ? -1 : 1);
            return Last is null ? order >= 0 : order > 0;
        }

        /// <summary>Moves to the next page; false when this page was the last.</summary>
        public bool Continue(List<KeyspaceReply> items, int requested)
        {
            // The empty key is counted but never sent (§5), so a first page that starts at it comes back one short.
            var full = items.Count >= requested
                || (_first && !backward && prefix.Length == 0 && Start.Length == 0 && items.Count > 0 && items.Count == requested - 1);
            if (!full)
            {
                return false;
            }

            Last = items[^1].Key!;
            Start = Last[prefix.Length..];
            _first = false;
            return true;
        }
    }
}
