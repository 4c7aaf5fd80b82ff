namespace ReactiveKv.Keyspace;

/// <summary>Turns a parsed Wire request into the cluster's <see cref="ServerRequest"/>, enforcing the limits of §9.</summary>
internal static class ServerRequests
{
    /// <summary>The request, or a <see cref="ProtocolErrorException"/> for a key over 1000 or a value over 100 000 bytes.</summary>
    public static ServerRequest From(KeyspaceRequest wire)
    {
        var ranged = KeyspaceRequest.IsList(wire.Command) || wire.Command is KeyspaceCommand.Count or KeyspaceCommand.DirtyCount or KeyspaceCommand.Prune;
        var rename = wire.Command == KeyspaceCommand.Rename;
        if (wire.Key.Length > KeyspaceLimits.MaxKeyBytes || wire.StartKey.Length > KeyspaceLimits.MaxKeyBytes
            || wire.Value.Length > (rename ? KeyspaceLimits.MaxKeyBytes : KeyspaceLimits.MaxValueBytes)
            || wire.Test.Length > KeyspaceLimits.MaxValueBytes)
        {
            throw new ProtocolErrorException("A Keyspace request holds a key over 1000 bytes or a value over 100 000 bytes.");
        }

        return new ServerRequest((byte)wire.Command, wire.Id)
        {
            Key = ranged ? [] : wire.Key,
            Prefix = ranged ? wire.Key : [],
            Value = wire.Value,
            Test = wire.Test,
            StartKey = wire.StartKey,
            Count = wire.Count,
            Offset = wire.Offset,
            Backward = wire.Backward,
            Delta = wire.Delta,
            Seconds = wire.Seconds,
        };
    }
}
