using ReactiveKv.Redis.Testing;

namespace ReactiveKv.Tests.Redis;

/// <summary>A fact that needs real sentinels: skipped, saying why, only when the Redis binaries are not installed (CI installs them).</summary>
public sealed class SentinelFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when redis-server (which also runs sentinels) is missing.</summary>
    public SentinelFactAttribute()
    {
        if (!RedisSentinelProcess.IsInstalled)
        {
            Skip = "redis-server / redis-sentinel are not installed (apt-get install redis-server redis-sentinel; .ci/run does it).";
        }
    }
}
