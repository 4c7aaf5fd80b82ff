using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Transports;

/// <summary>Runs every transport test on both transports: the loop's own epoll, and the thread-pool pipes.</summary>
public abstract class UnixTransportTests
{
    private protected abstract bool NativePolling { get; }

    private protected ReactorFixture NewFixture() => new(new ReactorOptions { LoopCount = 2, NativePolling = NativePolling });

    [Fact]
    public async Task AUnixSocket_CarriesBytesBothWays_AndTheSocketFileIsRemovedOnStop()
    {
        await using var fixture = NewFixture();
        var path = Path.Combine(Path.GetTempPath(), $"rkv-{Guid.NewGuid():N}.sock");
        var port = Endpoints.ServerFromString(fixture.Reactor, $"unix:{path}").Listen(new ServerFactory(() => new ReactiveKv.Examples.Echo.EchoProtocol())).GetResult();
        var client = new RecordingProtocol();

        await Endpoints.ClientFromString(fixture.Reactor, $"unix:path={path}").Connect(new Factory(() => client)).ToTask().Within();
        client.Transport.Write("through a unix socket"u8);
        await client.WhenReceived(21).Within();

        Assert.Equal("through a unix socket"u8.ToArray(), client.Received());
        Assert.True(File.Exists(path));
        await port.StopListening().ToTask().Within();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task ConnectingToAMissingUnixSocket_FailsWithAConnectError()
    {
        await using var fixture = NewFixture();
        var path = Path.Combine(Path.GetTempPath(), $"rkv-missing-{Guid.NewGuid():N}.sock");
        await Assert.ThrowsAnyAsync<ConnectException>(() =>
            ClientEndpoint.Unix(fixture.Reactor, path).Connect(new Factory(() => new RecordingProtocol())).ToTask().Within());
    }
}

/// <summary>The transport tests on loops that poll their sockets with epoll.</summary>
public sealed class UnixTransportOnEpollTests : UnixTransportTests
{
    private protected override bool NativePolling => true;
}

/// <summary>The transport tests on the pipes transport (what TLS and non-Linux platforms use).</summary>
public sealed class UnixTransportOnPipesTests : UnixTransportTests
{
    private protected override bool NativePolling => false;
}
