namespace ReactiveKv.KyotoTycoon;

/// <summary>One decoded request to the embedded server: HTTP or one of the binary commands.</summary>
internal abstract record KtRequest
{
    /// <summary>An HTTP request; the body is empty for GET, HEAD and DELETE, whose bodies ktserver never reads.</summary>
    public sealed record Http(string Method, string Target, string Version, Dictionary<string, string> Headers, byte[] Body) : KtRequest;

    /// <summary>set_bulk, remove_bulk or get_bulk (by <paramref name="Magic"/>).</summary>
    public sealed record Bulk(byte Magic, uint Flags, List<(ushort Db, byte[] Key, byte[] Value, long Xt)> Records) : KtRequest;

    /// <summary>play_script.</summary>
    public sealed record Script(uint Flags, string Name, List<(byte[] Key, byte[] Value)> Records) : KtRequest;

    /// <summary>A replication handshake: from here on the connection carries only acknowledgements.</summary>
    public sealed record Replicate(uint Flags, ulong Timestamp, ushort ServerId) : KtRequest;

    /// <summary>A slave's 0xB1 acknowledging a no-op.</summary>
    public sealed record Acknowledgement : KtRequest
    {
        /// <summary>The one instance: an acknowledgement carries nothing.</summary>
        public static Acknowledgement Instance { get; } = new();
    }
}
