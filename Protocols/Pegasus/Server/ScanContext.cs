namespace ReactiveKv.Pegasus;

/// <summary>
/// A scanner's server-side state between batches: where to resume, the scan's options, the connection that holds it
/// (so its close frees it) and its idle-expiry timer.
/// </summary>
internal sealed record ScanContext(ServerTable Table, int Partition, GetScannerRequest Request, byte[] ResumeAfter, int BatchSize, object Owner)
{
    /// <summary>Drops the context when it has been idle for the server's idle timeout; cancelled when it is used or dropped.</summary>
    public IDelayedCall? Expiry { get; set; }
}
