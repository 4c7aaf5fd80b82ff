namespace ReactiveKv;

/// <summary>Listening under <see cref="ServerLimits"/>, so every embedded server applies them the same way.</summary>
public static class ServerLimitsExtensions
{
    /// <summary>
    /// Listens on TCP with <paramref name="factory"/> wrapped in a <see cref="LimitedServerFactory"/> and the
    /// reactor's transport options narrowed by <see cref="ServerLimits.ApplyTo"/>.
    /// </summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="port">The port, 0 for any.</param>
    /// <param name="factory">The server's own factory.</param>
    /// <param name="limits">The limits; null for <see cref="ServerLimits.Default"/>.</param>
    /// <param name="largestRequestBytes">The server's own largest request, so the input cap never refuses one it accepts.</param>
    public static IListeningPort ListenTcp(this Reactor reactor, int port, IProtocolFactory factory, ServerLimits? limits, long largestRequestBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        limits ??= ServerLimits.Default;
        return reactor.ListenTcp(port, new LimitedServerFactory(factory, limits), options: limits.ApplyTo(reactor.Options.Transport, largestRequestBytes));
    }
}
