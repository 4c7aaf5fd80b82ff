namespace ReactiveKv.Pegasus;

/// <summary>
/// What a Pegasus client does, for code that should not depend on <see cref="PegasusClient"/> (and for fakes in its
/// tests): it opens tables, whose operations are on <see cref="IPegasusTable"/>.
/// </summary>
public interface IPegasusClient : IConnectableClient
{
    /// <summary>The options it was made with.</summary>
    PegasusOptions Options { get; }

    /// <summary>
    /// Queries the table's configuration and fires with it ready to use (the table named in the options when
    /// <paramref name="table"/> is null); fails if the table does not exist, or with <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled first.
    /// </summary>
    /// <param name="table">The table's name; null for the options' <see cref="PegasusOptions.Table"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the table.</param>
    Deferred<IPegasusTable> OpenTable(string? table = null, CancellationToken cancellationToken = default);
}
