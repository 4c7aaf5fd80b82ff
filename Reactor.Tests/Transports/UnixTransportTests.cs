using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Transports;

public class UnixTransportTests
{
    [Fact]
    public async Task AUnixSocket_CarriesBytesBothWays_AndTheSocketFileIsRemovedOnStop()
    {
        await using var fixture = new ReactorFixture();
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
        await using var fixture = new ReactorFixture();
        var path = Path.Combine(Path.GetTempPath(), $"rkv-missing-{Guid.NewGuid():N}.sock");
        await Assert.ThrowsAnyAsync<ConnectException>(() =>
            ClientEndpoint.Unix(fixture.Reactor, path).Connect(new Factory(() => new RecordingProtocol())).ToTask().Within());
    }
}
