namespace ReactiveKv.Pegasus;

/// <summary>A scanner's server-side state between batches: where to resume and the scan's options.</summary>
internal sealed record ScanContext(ServerTable Table, int Partition, GetScannerRequest Request, byte[] ResumeAfter, int BatchSize);
