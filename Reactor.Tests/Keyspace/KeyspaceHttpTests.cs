using static ReactiveKv.Tests.Keyspace.KeyspaceServeCliTests;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>Each node's HTTP API (§11): plain and JSON answers, 404s, writes submitted at once, non-masters unable.</summary>
public class KeyspaceHttpTests
{
    [Fact]
    public async Task PlainMode_AnswersEveryCommandAsSection112()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3);
        var http = cluster.Server.HttpEndpoints[0]!;

        Assert.Equal("OK", Body(await HttpAsync(http, "/set?key=a%3Ab&value=1+2")));
        Assert.Equal("1+2", Body(await HttpAsync(http, "/get?key=a:b")));
        Assert.Equal("Key not found", Body(await HttpAsync(http, "/get?key=missing")));
        Assert.Equal("OK", Body(await HttpAsync(http, "/set?key=n&value=10")));
        Assert.Equal("7", Body(await HttpAsync(http, "/add?key=n&num=-3")));
        Assert.Equal("Unable to process your request at this time", Body(await HttpAsync(http, "/add?key=missing&num=1")));
        Assert.Equal("7", Body(await HttpAsync(http, "/testandset?key=n&test=0&value=8")));
        Assert.Equal("OK", Body(await HttpAsync(http, "/rename?from=n&to=m")));
        Assert.Equal("Key not found", Body(await HttpAsync(http, "/delete?key=n")));
        Assert.Equal("2", Body(await HttpAsync(http, "/count")));
        Assert.Equal("\r\na:b\nm\n", ListBody(await HttpAsync(http, "/listkeys")));
        Assert.Equal("\r\nm => 7\n", ListBody(await HttpAsync(http, "/listkeyvalues?prefix=m")));
        Assert.Equal("\r\nm\na:b\n", ListBody(await HttpAsync(http, "/listkeys?direction=b")));
        Assert.Equal("7", Body(await HttpAsync(http, "/remove?key=m")));
        Assert.Equal("0", Body(await HttpAsync(http, "/getmaster")));
        Assert.Contains("404", await HttpAsync(http, "/get"), StringComparison.Ordinal);
        Assert.Contains("404", await HttpAsync(http, "/nosuchcommand"), StringComparison.Ordinal);
        Assert.Contains("404", await HttpAsync(http, "/count?count=x"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonMaster_ServesDirtyReads_AndIsUnableForTheRest()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3);
        Assert.Equal("OK", Body(await HttpAsync(cluster.Server.HttpEndpoints[0]!, "/set?key=k&value=v")));
        var other = cluster.Server.HttpEndpoints[2]!;

        Assert.Equal("v", Body(await HttpAsync(other, "/dirtyget?key=k")));
        Assert.Equal("Unable to process your request at this time", Body(await HttpAsync(other, "/get?key=k")));
        Assert.Equal("Unable to process your request at this time", Body(await HttpAsync(other, "/set?key=k&value=w")));
        Assert.Equal("Unable to process your request at this time", Body(await HttpAsync(other, "/dirtyget?key=missing")));
    }

    [Fact]
    public async Task JsonMode_EscapesOnlyQuotes_AndWrapsACallback()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync();
        var http = cluster.Server.HttpEndpoints[0]!;
        await HttpAsync(http, "/set?key=k&value=say+%22hi%22");

        Assert.Equal("{\"k\":\"say+\\\"hi\\\"\"}", Body(await HttpAsync(http, "/json/get?key=k")));
        Assert.Equal("{\"status\":\"ok\"}", Body(await HttpAsync(http, "/json/set?key=j&value=1")));
        Assert.Equal("{\"status\":\"error\",\"type\":\"Key not found\"}", Body(await HttpAsync(http, "/json/delete?key=none")));
        Assert.Equal("cb({\"\":[\"j\",\"k\"]})", ListBody(await HttpAsync(http, "/json/listkeys?callback=cb")).TrimStart());
    }

    [Fact]
    public async Task HtmlMode_GivesATitleAndALinkPerKey()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync();
        var http = cluster.Server.HttpEndpoints[0]!;
        await HttpAsync(http, "/set?key=k&value=v");

        var page = Body(await HttpAsync(http, "/html/listkeys"));

        Assert.Contains("<title>", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/html/get?key=k\">k</a>", page, StringComparison.Ordinal);
    }

    private static string Body(string response) => response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    // A list's body has no length and starts with an extra CRLF.
    private static string ListBody(string response)
    {
        Assert.DoesNotContain("Content-Length", response, StringComparison.Ordinal);
        return Body(response);
    }
}
