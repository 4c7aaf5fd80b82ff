using System.Buffers;
using System.Text;
using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Redis;

[Trait("Category", "Unit")]
public class ClusterSlotMapTests
{
    public static TheoryData<string> Captured => new() { nameof(ClusterReplies.ShardsResp2), nameof(ClusterReplies.ShardsResp3), nameof(ClusterReplies.SlotsResp2), nameof(ClusterReplies.SlotsResp3) };

    [Theory]
    [MemberData(nameof(Captured))]
    public void ParsesCapturedReplies(string name)
    {
        var map = Load(name);
        Assert.True(map.Covers);
        Assert.Equal(21001, map.PrimaryOf(0)!.Port);
        Assert.Equal(21001, map.PrimaryOf(99)!.Port);
        Assert.Equal(21003, map.PrimaryOf(100)!.Port);
        Assert.Equal(21001, map.PrimaryOf(101)!.Port);
        Assert.Equal(21001, map.PrimaryOf(5460)!.Port);
        Assert.Equal(21002, map.PrimaryOf(5461)!.Port);
        Assert.Equal(21002, map.PrimaryOf(10922)!.Port);
        Assert.Equal(21003, map.PrimaryOf(10923)!.Port);
        Assert.Equal(21003, map.PrimaryOf(16383)!.Port);
        Assert.Equal("127.0.0.1:21001", map.PrimaryOf(0)!.Endpoint);
        Assert.Equal("25ec79692bcd60cea2daaa3d52044b2e60dcfaa8", map.PrimaryOf(0)!.Id);
        Assert.True(map.PrimaryOf(0)!.IsPrimary);

        Assert.Equal([21001, 21002, 21003], map.Primaries.Select(node => node.Port));
        Assert.Equal([21004], map.ReplicasOf(0).Select(node => node.Port));
        Assert.Equal([21005], map.ReplicasOf(6000).Select(node => node.Port));
        Assert.All(map.ReplicasOf(0), node => Assert.False(node.IsPrimary));
        Assert.Equal("b35b2cd736382938ee0a07172eae1ef85a4b4988", map.ReplicasOf(0)[0].Id);
        // 21006 was killed: its health is "fail" (SHARDS) or it is left out (SLOTS); either way not routed to.
        Assert.Empty(map.ReplicasOf(100));
        Assert.Empty(map.ReplicasOf(16383));
        Assert.Equal([21001, 21002, 21003, 21004, 21005], map.Nodes.Select(node => node.Port).Order());
        // One record per node, however many ranges it serves.
        Assert.Same(map.PrimaryOf(0), map.PrimaryOf(101));
    }

    [Fact]
    public void Resp2AndResp3GiveTheSameMap()
    {
        foreach (var (resp2, resp3) in new[] { (nameof(ClusterReplies.ShardsResp2), nameof(ClusterReplies.ShardsResp3)), (nameof(ClusterReplies.SlotsResp2), nameof(ClusterReplies.SlotsResp3)) })
        {
            var a = Load(resp2);
            var b = Load(resp3);
            for (var slot = 0; slot < HashSlot.Count; slot++)
            {
                Assert.Equal(a.PrimaryOf(slot), b.PrimaryOf(slot));
                Assert.Equal(a.ReplicasOf(slot), b.ReplicasOf(slot));
            }

            Assert.Equal(a.Nodes, b.Nodes);
        }
    }

    [Fact]
    public void MovedSlotMakesANewMap()
    {
        var map = Load(nameof(ClusterReplies.ShardsResp3));
        var moved = map.WithSlotMovedTo(0, "127.0.0.1", 21002);
        Assert.Equal(21002, moved.PrimaryOf(0)!.Port);
        Assert.Equal("665bce177e63783ad5c3a1bfccf2fea3359c3e92", moved.PrimaryOf(0)!.Id);
        Assert.Equal([21005], moved.ReplicasOf(0).Select(node => node.Port));
        Assert.Equal(21001, moved.PrimaryOf(1)!.Port);
        // The old map is untouched: readers holding it see a consistent view.
        Assert.Equal(21001, map.PrimaryOf(0)!.Port);
        Assert.True(moved.Covers);
    }

    [Fact]
    public void MovedToAnUnknownNodeAddsItWithoutId()
    {
        var map = Load(nameof(ClusterReplies.SlotsResp2));
        var moved = map.WithSlotMovedTo(16383, "127.0.0.1", 30000);
        var node = moved.PrimaryOf(16383)!;
        Assert.Equal(new RedisClusterNode("", "127.0.0.1", 30000, true), node);
        Assert.Contains(node, moved.Nodes);
        Assert.Contains(node, moved.Primaries);
        Assert.Empty(moved.ReplicasOf(16383));
        Assert.Equal(6, moved.Nodes.Count);
        Assert.DoesNotContain(node, map.Nodes);
    }

    [Fact]
    public void MovedToAReplicaPromotesIt()
    {
        // After a failover the replica answers for its former primary's slots.
        var map = Load(nameof(ClusterReplies.ShardsResp2));
        var moved = map.WithSlotMovedTo(5, "127.0.0.1", 21004);
        var node = moved.PrimaryOf(5)!;
        Assert.True(node.IsPrimary);
        Assert.Equal("b35b2cd736382938ee0a07172eae1ef85a4b4988", node.Id);
        Assert.Empty(moved.ReplicasOf(0));
        Assert.Equal(5, moved.Nodes.Count);
        Assert.Contains(node, moved.Primaries);
    }

    [Fact]
    public void UnassignedSlotsHaveNoPrimary()
    {
        var map = ClusterSlotMap.FromSlots(Parse("*1\r\n*3\r\n:0\r\n:99\r\n*3\r\n$9\r\n127.0.0.1\r\n:7000\r\n$2\r\nab\r\n"));
        Assert.False(map.Covers);
        Assert.Equal(7000, map.PrimaryOf(99)!.Port);
        Assert.Null(map.PrimaryOf(100));
        Assert.Empty(map.ReplicasOf(100));
        Assert.Single(map.Primaries);
    }

    [Fact]
    public void EmptyHostMeansTheConnectedHost()
    {
        var reply = Parse("*1\r\n*3\r\n:0\r\n:16383\r\n*3\r\n$0\r\n\r\n:7000\r\n$2\r\nab\r\n");
        Assert.Equal("10.0.0.5:7000", ClusterSlotMap.FromSlots(reply, "10.0.0.5").PrimaryOf(0)!.Endpoint);
        Assert.True(ClusterSlotMap.FromSlots(reply).Covers);
    }

    [Fact]
    public void ShardsPreferTheTlsPortWhenAsked()
    {
        var reply = Parse("*1\r\n%2\r\n+slots\r\n*2\r\n:0\r\n:16383\r\n+nodes\r\n*1\r\n%6\r\n+id\r\n+ab\r\n+port\r\n:7000\r\n+tls-port\r\n:7443\r\n"
            + "+ip\r\n+10.0.0.1\r\n+endpoint\r\n+db.example\r\n+role\r\n+master\r\n");
        Assert.Equal("db.example:7000", ClusterSlotMap.FromShards(reply).PrimaryOf(0)!.Endpoint);
        Assert.Equal("db.example:7443", ClusterSlotMap.FromShards(reply, preferTls: true).PrimaryOf(0)!.Endpoint);
    }

    [Fact]
    public void NotAClusterReplyIsAProtocolError()
    {
        Assert.Throws<ProtocolErrorException>(() => ClusterSlotMap.FromShards(Parse("-ERR This instance has cluster support disabled\r\n")));
        Assert.Throws<ProtocolErrorException>(() => ClusterSlotMap.FromSlots(Parse("$2\r\nno\r\n")));
        Assert.Throws<ProtocolErrorException>(() => ClusterSlotMap.FromSlots(Parse("*1\r\n*3\r\n:0\r\n:20000\r\n*2\r\n$1\r\nh\r\n:1\r\n")));
    }

    [Fact]
    public void NodeEndpointBracketsIpv6()
    {
        Assert.Equal("127.0.0.1:7000", new RedisClusterNode("a", "127.0.0.1", 7000, true).Endpoint);
        Assert.Equal("[::1]:7000", new RedisClusterNode("a", "::1", 7000, false).Endpoint);
    }

    internal static RespValue Parse(string resp)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(resp)));
        Assert.True(RespReader.TryRead(ref reader, RespLimits.Unlimited, out var raw));
        Assert.True(reader.End);
        return RespValue.From(raw);
    }

    private static ClusterSlotMap Load(string name)
    {
        var text = (string)typeof(ClusterReplies).GetField(name)!.GetValue(null)!;
        return name.StartsWith("Shards", StringComparison.Ordinal) ? ClusterSlotMap.FromShards(Parse(text)) : ClusterSlotMap.FromSlots(Parse(text));
    }
}
