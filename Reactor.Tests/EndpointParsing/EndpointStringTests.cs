using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.EndpointParsing;

public class EndpointStringTests
{
    private static readonly Reactor Unstarted = new(new ReactorOptions { LoopCount = 1 });

    [Theory]
    [InlineData("tcp:host=127.0.0.1:port=6379", "tcp:127.0.0.1:6379")]
    [InlineData("tcp:127.0.0.1:6379", "tcp:127.0.0.1:6379")]
    [InlineData("TCP:host=localhost:port=80:timeout=2.5", "tcp:localhost:80")]
    [InlineData("tls:host=127.0.0.1:port=6380:servername=redis.local", "tls:127.0.0.1:6380")]
    [InlineData("unix:path=/tmp/s.sock", "unix:/tmp/s.sock")]
    [InlineData("unix:/tmp/with\\:colon.sock", "unix:/tmp/with:colon.sock")]
    public void GoodClientStrings_Parse(string text, string description) =>
        Assert.Equal(description, Endpoints.ClientFromString(Unstarted, text).Description);

    [Theory]
    [InlineData("tcp:8080", "tcp:8080:interface=127.0.0.1")]
    [InlineData("tcp:port=0:interface=127.0.0.1:backlog=10", "tcp:0:interface=127.0.0.1")]
    [InlineData("unix:/tmp/x.sock", "unix:/tmp/x.sock")]
    [InlineData("unix:address=/tmp/y.sock", "unix:/tmp/y.sock")]
    public void GoodServerStrings_Parse(string text, string description) =>
        Assert.Equal(description, Endpoints.ServerFromString(Unstarted, text).Description);

    [Theory]
    [InlineData("", "no endpoint type")]
    [InlineData("tcp:host=127.0.0.1", "'port' is missing")]
    [InlineData("tcp:host=127.0.0.1:port=http", "'http' is not a port number")]
    [InlineData("tcp:host=127.0.0.1:port=70000", "'70000' is not a port number")]
    [InlineData("tcp:host=127.0.0.1:port=1:colour=blue", "'colour' is not an option of 'tcp'")]
    [InlineData("tcp:host=127.0.0.1:port=1:timeout=-3", "not a positive number of seconds")]
    [InlineData("tcp:host=a:host=b:port=1", "'host' is given twice")]
    [InlineData("carrier-pigeon:host=x", "'carrier-pigeon' is not a client endpoint type")]
    [InlineData("unix:path=/tmp/a\\", "lone backslash")]
    [InlineData("tcp:1:2:3", "positional values")]
    public void BadClientStrings_FailWithAMessageSayingWhat(string text, string problem)
    {
        var error = Assert.Throws<EndpointSyntaxException>(() => Endpoints.ClientFromString(Unstarted, text));
        Assert.Contains(problem, error.Message);
        Assert.Contains($"'{text}'", error.Message);
    }

    [Theory]
    [InlineData("tcp:8080:interface=everywhere", "is not an IP address")]
    [InlineData("tls:8443", "'certificate' is missing")]
    [InlineData("tls:8443:certificate=/nonexistent/cert.pfx", "cannot load certificate")]
    [InlineData("udp:53", "not a server endpoint type")]
    public void BadServerStrings_FailWithAMessageSayingWhat(string text, string problem)
    {
        var error = Assert.Throws<EndpointSyntaxException>(() => Endpoints.ServerFromString(Unstarted, text));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public async Task AParsedPair_Connects()
    {
        await using var fixture = new ReactorFixture();
        var port = await Endpoints.ServerFromString(fixture.Reactor, "tcp:0:interface=127.0.0.1").Listen(new ServerFactory(() => new ReactiveKv.Examples.Echo.EchoProtocol()));
        var client = new RecordingProtocol();
        await Endpoints.ClientFromString(fixture.Reactor, $"tcp:host=127.0.0.1:port={port.Port}").Connect(new Factory(() => client)).ToTask().Within();
        client.Transport.Write("abc"u8);
        await client.WhenReceived(3).Within();
        Assert.Equal("abc"u8.ToArray(), client.Received());
    }

    [Fact]
    public async Task ListeningOnABusyPort_FailsWithCannotListen()
    {
        await using var fixture = new ReactorFixture();
        var first = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new ReactiveKv.Examples.Echo.EchoProtocol()));
        var error = await Assert.ThrowsAsync<CannotListenException>(async () =>
            await ServerEndpoint.Tcp(fixture.Reactor, first.Port).Listen(new ServerFactory(() => new ReactiveKv.Examples.Echo.EchoProtocol())));
        Assert.Contains(first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }
}
