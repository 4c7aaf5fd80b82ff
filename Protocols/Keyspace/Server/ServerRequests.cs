namespace ReactiveKv.Keyspace;

/// <summary>The limits of §9 the server enforces on every parsed request.</summary>
internal static class ServerRequests
{
    /// <summary>The request, or a <see cref="ProtocolErrorException"/> for a key over 1000 or a value over 100 000 bytes.</summary>
    public static KeyspaceRequest Checked(KeyspaceRequest wire)
    {
        var rename = wire.Command == KeyspaceCommand.Rename;
        if (wire.Key.Length > KeyspaceLimits.MaxKeyBytes || wire.StartKey.Length > KeyspaceLimits.MaxKeyBytes
            || wire.Value.Length > (rename ? KeyspaceLimits.MaxKeyBytes : KeyspaceLimits.MaxValueBytes)
            || wire.Test.Length > KeyspaceLimits.MaxValueBytes)
        {
            throw new ProtocolErrorException("A Keyspace request holds a key over 1000 bytes or a value over 100 000 bytes.");
        }

        return wire;
    }
}
