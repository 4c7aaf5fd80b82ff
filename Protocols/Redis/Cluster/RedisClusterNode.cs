using System.Globalization;

namespace ReactiveKv.Redis;

/// <summary>One node of a Redis Cluster as the slot map knows it.</summary>
/// <param name="Id">The node id (40 hex characters), or empty when only its address is known (learned from a MOVED reply).</param>
/// <param name="Host">The host or IP address clients connect to.</param>
/// <param name="Port">The port clients connect to (the TLS port on a TLS cluster).</param>
/// <param name="IsPrimary">True for a primary (it owns slots), false for a replica.</param>
public sealed record RedisClusterNode(string Id, string Host, int Port, bool IsPrimary)
{
    /// <summary>The address as <c>host:port</c> (IPv6 hosts in brackets), the form MOVED and ASK replies use.</summary>
    public string Endpoint => Host.Contains(':', StringComparison.Ordinal)
        ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
