namespace ReactiveKv.Keyspace;

/// <summary>Where the cluster sends one connection's replies; callable from any thread, replies keep their order.</summary>
internal interface IReplySink
{
    /// <summary>Queues <paramref name="reply"/>; with <paramref name="thenClose"/> the connection closes after it (a §8.3 rejection).</summary>
    void Send(ServerReply reply, bool thenClose = false);

    /// <summary>Queues several replies (a list's items and its end) at once.</summary>
    void SendAll(List<ServerReply> replies);

    /// <summary>Drops the connection now, unsent replies included (a killed node, a dropped connection).</summary>
    void Abort();
}
