namespace ReactiveKv.Redis;

/// <summary>
/// A command names keys in more than one hash slot of a Redis Cluster and cannot be split (only MGET, MSET, DEL,
/// UNLINK, EXISTS and TOUCH are): refused before anything is sent. Keys that share a hash tag (<c>{user:1}:name</c>,
/// <c>{user:1}:email</c>) hash to one slot.
/// </summary>
public sealed class RedisCrossSlotException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="command"/> spanning <paramref name="slots"/>.</summary>
    public RedisCrossSlotException(string command, IReadOnlyList<int> slots)
        : base($"{command}: its keys hash to slots {string.Join(", ", slots)} of the Redis Cluster, and a command runs on one slot's node. Give the keys a common hash tag ({{tag}}) to keep them in one slot.")
    {
        Command = command;
        Slots = slots;
    }

    /// <summary>The command refused.</summary>
    public string Command { get; }

    /// <summary>The slots its keys hash to.</summary>
    public IReadOnlyList<int> Slots { get; }
}
