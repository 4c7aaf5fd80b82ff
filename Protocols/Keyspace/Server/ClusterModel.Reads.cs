namespace ReactiveKv.Keyspace;

/// <summary>Reads: get, list, count from a node's own state (§7.1, §7.6), with the 1.9.0 quirks when asked.</summary>
internal sealed partial class ClusterModel
{
    /// <summary>Answers a read from <paramref name="node"/>'s state; true when the read crashed the node.</summary>
    private bool Read(ClusterNode node, KeyspaceRequest read, IReplySink sink)
    {
        switch (read.Letter)
        {
            case (byte)'g' or (byte)'G':
                if (_options.Quirks190 && IsInternalKey(read.Key))
                {
                    // 1.9.0 asserts on the stored shape of its own keys and exits (§7.9).
                    KillLocked(node);
                    return true;
                }

                var value = node.State.Data.Get(read.Key);
                sink.Send(value is null ? ServerReply.Failed(read.Id) : ServerReply.Ok(read.Id, value));
                break;
            case (byte)'c' or (byte)'C':
                Count(node.State.Data, read, sink);
                break;
            default:
                List(node.State.Data, read, sink);
                break;
        }

        return false;
    }

    private static bool IsInternalKey(byte[] key) =>
        key.AsSpan().SequenceEqual("@@paxosID"u8) || key.AsSpan().StartsWith("@@pround"u8);

    private void List(OrderedStore data, KeyspaceRequest read, IReplySink sink)
    {
        var limit = read.Count;
        if (_options.Quirks190 && read.Prefix.Length > 0 && (limit == 0 || limit > ListWalker.Chunk))
        {
            // §12 item 1: the continuation after the first chunk finds nothing under a prefix.
            limit = ListWalker.Chunk;
        }

        var (hits, _) = ListWalker.Walk(data, read, limit);
        var values = read.Letter is (byte)'p' or (byte)'P';
        var replies = new List<ServerReply>(hits.Count + 1);
        foreach (var index in hits)
        {
            var key = data.KeyAt(index);
            if (key.Length > 0)
            {
                replies.Add(values ? new((byte)'j', read.Id, key, data.ValueAt(index)) : new((byte)'i', read.Id, key));
            }
        }

        replies.Add(new((byte)'.', read.Id));
        sink.SendAll(replies);
    }

    private void Count(OrderedStore data, KeyspaceRequest read, IReplySink sink)
    {
        if (_options.Quirks190 && (read.Count == 0 || read.Count > ListWalker.Chunk))
        {
            // §12 item 2: past a full chunk followed by any key, no limit never answers and a limit is echoed.
            var (chunk, next) = ListWalker.Walk(data, read, ListWalker.Chunk);
            if (chunk.Count == ListWalker.Chunk && next >= 0)
            {
                if (read.Count != 0)
                {
                    sink.Send(ServerReply.Ok(read.Id, Ascii(read.Count)));
                }

                return;
            }
        }

        var (hits, _) = ListWalker.Walk(data, read, read.Count);
        sink.Send(ServerReply.Ok(read.Id, Ascii(hits.Count)));
    }
}
