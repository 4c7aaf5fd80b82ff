namespace ReactiveKv.Examples.Chat;

/// <summary>
/// Who is in the chat (Twisted's <c>users</c> dictionary). Connections live on different loops, so membership is
/// locked and each delivery goes to the receiver's own loop.
/// </summary>
public sealed class ChatRoom
{
    private readonly Dictionary<string, ChatProtocol> _users = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="user"/> as <paramref name="name"/>; false when the name is taken.</summary>
    public bool TryJoin(string name, ChatProtocol user)
    {
        lock (_users)
        {
            return _users.TryAdd(name, user);
        }
    }

    /// <summary>Removes <paramref name="name"/> if <paramref name="user"/> holds it.</summary>
    public void Leave(string name, ChatProtocol user)
    {
        lock (_users)
        {
            if (_users.TryGetValue(name, out var holder) && ReferenceEquals(holder, user))
            {
                _users.Remove(name);
            }
        }
    }

    /// <summary>Sends <paramref name="line"/> to everybody but <paramref name="sender"/>.</summary>
    public void Broadcast(ChatProtocol sender, string line)
    {
        ChatProtocol[] others;
        lock (_users)
        {
            others = [.. _users.Values.Where(u => !ReferenceEquals(u, sender))];
        }

        foreach (var user in others)
        {
            user.Deliver(line);
        }
    }
}
