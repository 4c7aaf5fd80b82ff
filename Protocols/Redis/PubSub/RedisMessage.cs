using System.Text;

namespace ReactiveKv.Redis;

/// <summary>A pub/sub notification: a message on a channel (matched by <see cref="Pattern"/> for PSUBSCRIBE), a subscription confirmation, or a gap notice.</summary>
public sealed record RedisMessage(RedisMessageKind Kind, string Channel, string? Pattern, byte[] Payload)
{
    /// <summary>The payload as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Payload);
}
