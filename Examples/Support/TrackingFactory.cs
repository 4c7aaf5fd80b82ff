using System.Net;

namespace ReactiveKv.Examples.Support;

/// <summary>Builds the inner factory's protocols wrapped so their connection is recorded in a <see cref="ConnectionSet"/>.</summary>
internal sealed class TrackingFactory(IProtocolFactory inner, ConnectionSet connections) : IProtocolFactory
{
    public IProtocol? BuildProtocol(EndPoint address) =>
        inner.BuildProtocol(address) is { } protocol ? new TrackedProtocol(protocol, connections) : null;

    public void DoStart() => inner.DoStart();

    public void DoStop() => inner.DoStop();
}
