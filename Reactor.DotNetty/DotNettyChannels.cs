using DotNetty.Buffers;

namespace ReactiveKv.DotNetty;

/// <summary>
/// What every connection's channel shares, client or server side. TLS is not a handler in the pipeline: DotNetty
/// 0.7.6's TlsHandler loses application records on .NET 10 (after the handshake with redis-server and RabbitMQ, a
/// reply that arrived on the socket never came out of its SslStream; a TLS 1.3 session stalled at once; a
/// multi-megabyte write lost its tail), and the releases that fix it are not served here. A DotNetty connection with
/// TLS is the reactor's own TLS layer (<see cref="System.Net.Security.SslStream"/> over a transport) with the plain channel as its carrier.
/// </summary>
internal static class DotNettyChannels
{
    /// <summary>The allocator of every channel: pooled, so received and sent buffers are recycled, not collected.</summary>
    /// <remarks>Settable for leak tests, which use a pool without thread caches so its counts return to zero.</remarks>
    public static IByteBufferAllocator Allocator { get; set; } = PooledByteBufferAllocator.Default;
}
