namespace ReactiveKv.Testing;

/// <summary>Which way bytes flow through a <see cref="FaultProxy"/>.</summary>
public enum ProxyDirection
{
    /// <summary>From the client to the upstream server (requests).</summary>
    Upstream,

    /// <summary>From the upstream server back to the client (replies).</summary>
    Downstream,
}
