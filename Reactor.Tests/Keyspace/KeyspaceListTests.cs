using ReactiveKv.Keyspace;
using static ReactiveKv.Tests.Keyspace.KeyspaceTestCluster;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>The list and count parameters of §7.6, the spec's recorded cases first, on the keys {k1, k2, k3, num}.</summary>
public class KeyspaceListTests
{
    [Theory]
    [InlineData("k", "", 0, 0, false, "k1 k2 k3")]
    [InlineData("k", "2", 0, 0, false, "k2 k3")]
    [InlineData("k", "2", 0, 1, false, "k3")]
    [InlineData("k", "0", 0, 1, false, "k2 k3")]
    [InlineData("k", "", 2, 0, false, "k1 k2")]
    [InlineData("k", "4", 0, 0, true, "k3 k2 k1")]
    [InlineData("k", "~", 0, 0, true, "k3 k2 k1")]
    [InlineData("k", "", 0, 0, true, "k1")]
    [InlineData("", "", 0, 0, true, "num k3 k2 k1")]
    [InlineData("", "", 0, 0, false, "k1 k2 k3 num")]
    [InlineData("", "k2", 0, 0, false, "k2 k3 num")]
    [InlineData("", "k2", 2, 0, true, "k2 k1")]
    [InlineData("k", "3", 0, 0, true, "k3 k2 k1")]
    [InlineData("k", "", 0, 3, false, "")]
    [InlineData("n", "", 0, 1, false, "")]
    [InlineData("j", "", 0, 1, false, "")]
    [InlineData("x", "", 0, 0, false, "")]
    public async Task ListsAndCounts_FollowTheCursorRules(string prefix, string start, ulong count, ulong offset, bool backward, string expected)
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3);
        var c = await cluster.ConnectMasterAsync();
        foreach (var key in new[] { "k1", "k2", "k3", "num" })
        {
            await c.WriteAsync(Ks.Set(key, "v" + key));
        }

        var keys = await c.ListAsync(Ks.Keys(prefix, start, count, offset, backward));
        var pairs = await c.ListAsync(Ks.Range(KeyspaceCommand.DirtyListKeyValues, prefix, start, count, offset, backward));
        var counted = await c.CallAsync(Ks.Count(prefix, start, count, offset, backward));

        Assert.Equal(expected, string.Join(' ', keys));
        Assert.Equal(keys.Select(k => $"{k}=v{k}"), pairs);
        Assert.Equal(keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), S(counted.Value));
    }

    [Fact]
    public async Task TheEmptyKey_IsCountedButNeverListed()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync();
        var c = await cluster.ConnectAsync();
        await c.WriteAsync(Ks.Set("", "e"));
        await c.WriteAsync(Ks.Set("a", "1"));

        Assert.Equal(["a"], await c.ListAsync(Ks.Keys()));
        Assert.Equal("2", S((await c.CallAsync(Ks.Count())).Value));
        Assert.Equal("1", S((await c.CallAsync(Ks.Count(count: 1))).Value));
        Assert.Empty(await c.ListAsync(Ks.Keys(count: 1)));
    }

    [Fact]
    public async Task KeysCompareAsRawBytes_ShorterFirst()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync();
        var c = await cluster.ConnectAsync();
        foreach (var key in new[] { "b", "a\u00ff", "a", "ab", "A", "a\u0000" })
        {
            await c.WriteAsync(Ks.Set(key, "v"));
        }

        Assert.Equal(["A", "a", "a\u0000", "ab", "a\u00ff", "b"], await c.ListAsync(Ks.Keys()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LongLists_AreNotCutAtAThousandKeys_UnlessTheQuirksAreOn(bool quirks)
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(1, new KeyspaceServerOptions { Quirks190 = quirks });
        var c = await cluster.ConnectAsync();
        for (var i = 0; i < 1500; i++)
        {
            await c.SendAsync(Ks.Set($"p/{i:D4}", "v"));
        }

        await c.SendAsync(Ks.Set("z", "after"));
        await c.SubmitAsync();
        await c.NextAsync(1501);

        Assert.Equal(quirks ? 1000 : 1500, (await c.ListAsync(Ks.Keys("p/"))).Count);
        Assert.Equal(1501, (await c.ListAsync(Ks.Keys())).Count);
        Assert.Equal("1500", S((await c.CallAsync(Ks.Count("p/", count: 1500))).Value));
        Assert.Equal(quirks ? "2000" : "1500", S((await c.CallAsync(Ks.Count("p/", count: 2000))).Value));
        Assert.Equal("999", S((await c.CallAsync(Ks.Count("p/", count: 999))).Value));

        // With no limit 1.9.0 never answers; a read pipelined behind it shows the connection still runs.
        await c.SendAsync(Ks.Count("p/"));
        await c.SendAsync("3:m:9");
        var next = await c.NextReplyAsync();
        Assert.Equal(quirks ? "9 0" : "1500", quirks ? $"{next.Id} {S(next.Value)}" : S(next.Value));
    }
}
