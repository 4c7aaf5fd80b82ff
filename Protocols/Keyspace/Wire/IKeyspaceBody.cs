namespace ReactiveKv.Keyspace;

/// <summary>A request or reply that can lay out its body's tokens; <see cref="KeyspaceFrameWriter"/> frames it.</summary>
internal interface IKeyspaceBody
{
    /// <summary>Writes the body's tokens in order. Called twice per frame: once to measure, once to write.</summary>
    void WriteBody(ref KeyspaceBodyWriter body);
}
