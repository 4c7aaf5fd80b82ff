namespace ReactiveKv.Keyspace;

/// <summary>
/// The ids of calls given up on (timed out) whose replies may still arrive: a set with a cap, the oldest dropped
/// first, so a connection that times out forever holds bounded memory.
/// </summary>
internal sealed class ForgottenIds(int capacity)
{
    private readonly HashSet<ulong> _ids = [];
    private readonly Queue<ulong> _order = new();

    public int Count => _ids.Count;

    public void Add(ulong id)
    {
        if (!_ids.Add(id))
        {
            return;
        }

        _order.Enqueue(id);
        while (_ids.Count > capacity || _order.Count > 2 * capacity)
        {
            _ids.Remove(_order.Dequeue());
        }
    }

    public bool Contains(ulong id) => _ids.Contains(id);

    public void Remove(ulong id) => _ids.Remove(id);
}
