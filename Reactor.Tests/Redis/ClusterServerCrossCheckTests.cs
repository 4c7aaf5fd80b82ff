using System.Text;
using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Redis;

/// <summary>HashSlot, CommandKeys and ClusterSlotMap checked against what a real cluster node answers.</summary>
[Collection("redis-cluster")]
public class ClusterServerCrossCheckTests(RedisClusterFixture fixture)
{
    [Fact]
    public async Task HashSlotMatchesClusterKeyslot()
    {
        var random = new Random(7);
        List<RedisValue> keys = ["foo", "bar", "", "{user1000}.following", "foo{}{bar}", "foo{{bar}}zap", "foo{bar}{zap}", "{}", "}{", "{a}{b}",
            "clé-\u00e9\u4e2d\U0001F600", new string('x', 5000), 12345, -1, 2.5, new byte[] { 0, 0xff, 0x7b, 0x01, 0x7d, 0x80 }];
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(1, 40)];
            random.NextBytes(bytes);
            keys.Add(bytes);
            keys.Add($"key:{random.Next()}");
        }

        foreach (var key in keys)
        {
            var reply = await fixture.Node.Db.Execute("CLUSTER", "KEYSLOT", key);
            Assert.True(reply.Integer == HashSlot.Of(key), $"CLUSTER KEYSLOT {key} = {reply.Integer}, HashSlot.Of = {HashSlot.Of(key)}");
        }
    }

    [Fact]
    public async Task CommandKeysMatchCommandGetkeys()
    {
        var checkedLines = 0;
        foreach (var row in ClusterCommandKeysTests.Lines)
        {
            var line = (string)row[0];
            var (command, arguments) = ClusterCommandKeysTests.Split(line);
            var ours = new List<int>();
            Assert.True(CommandKeys.TryFind(command, arguments, ours), line);
            List<string> server;
            // GETKEYS of a keyless command is an error ("no key arguments"; for PING-like lines, an arity error).
            try
            {
                var reply = await fixture.Node.Db.Execute("COMMAND", [(RedisValue)"GETKEYS", (RedisValue)command, .. arguments]);
                server = reply.Items.Select(item => item.Text!).ToList();
            }
            catch (RedisReplyException e) when (e.Message.Contains("no key arguments", StringComparison.OrdinalIgnoreCase)
                || (arguments.Length == 0 && e.Message.Contains("wrong number of arguments for 'command|getkeys'", StringComparison.Ordinal)))
            {
                server = [];
            }

            if (command == "SPUBLISH")
            {
                // The server flags a shard channel "not_key" (GETKEYS lists none), yet routes it by its slot.
                Assert.Empty(server);
                server = ["k1"];
            }

            Assert.True(server.SequenceEqual(ours.Select(index => arguments[index].ToString())),
                $"{line}: server [{string.Join(' ', server)}], ours [{string.Join(' ', ours.Select(index => arguments[index].ToString()))}]");
            checkedLines++;
        }

        Assert.True(checkedLines >= 40);
    }

    [Fact]
    public async Task EveryCommandTheServerKnowsIsInTheTable()
    {
        // A command missing from the table would be sent to any node: fine for PING, a MOVED loop for a keyed one.
        // COMMAND LIST also names subcommands (CONFIG|GET): those are looked up under their container.
        var names = (await fixture.Node.Db.Execute("COMMAND", "LIST")).Items.Select(item => item.Text!.ToUpperInvariant()).Where(name => !name.Contains('|', StringComparison.Ordinal)).ToList();
        Assert.True(names.Count > 200);
        Assert.Equal("", string.Join(" ", names.Where(name => !CommandKeys.TryFind(name, [], []))));
    }

    [Fact]
    public async Task MigrateWithKeysMatchesCommandGetkeys()
    {
        RedisValue[] arguments = ["127.0.0.1", 6379, "", 0, 5000, "KEYS", "k1", "k2"];
        var reply = await fixture.Node.Db.Execute("COMMAND", [(RedisValue)"GETKEYS", (RedisValue)"MIGRATE", .. arguments]);
        var ours = new List<int>();
        Assert.True(CommandKeys.TryFind("MIGRATE", arguments, ours));
        Assert.Equal(reply.Items.Select(item => item.Text), ours.Select(index => arguments[index].ToString()));
    }

    [Fact]
    public async Task LiveShardsAndSlotsAgreeWithTheCluster()
    {
        var shards = ClusterSlotMap.FromShards(await fixture.Node.Db.Execute("CLUSTER", "SHARDS"));
        var slots = ClusterSlotMap.FromSlots(await fixture.Node.Db.Execute("CLUSTER", "SLOTS"), "127.0.0.1");
        Assert.True(shards.Covers);
        Assert.True(slots.Covers);
        var primaries = await fixture.Cluster.PrimaryPortsAsync();
        Assert.Equal(primaries, shards.Primaries.Select(node => node.Port));
        Assert.Equal(primaries, slots.Primaries.Select(node => node.Port));
        Assert.Equal(fixture.Cluster.Ports.Order(), shards.Nodes.Select(node => node.Port).Order());
        foreach (var primary in shards.Primaries)
        {
            Assert.Equal([await fixture.Cluster.ReplicaOfAsync(primary.Port)], shards.ReplicasOf(SlotOwnedBy(shards, primary)).Select(node => node.Port));
            Assert.Equal(40, primary.Id.Length);
        }

        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            Assert.Equal(shards.PrimaryOf(slot), slots.PrimaryOf(slot));
        }

        var key = "cross-check";
        var owner = shards.PrimaryOf(HashSlot.Of(key))!.Port;
        Assert.Equal("OK", (await fixture.Cluster.CliAsync(owner, "SET", key, "v")).Trim());
        var other = primaries.First(port => port != owner);
        Assert.StartsWith($"MOVED {HashSlot.Of(key)} 127.0.0.1:{owner}", (await fixture.Cluster.CliAsync(other, "GET", key)).Trim());
    }

    private static int SlotOwnedBy(ClusterSlotMap map, RedisClusterNode primary) =>
        Enumerable.Range(0, HashSlot.Count).First(slot => map.PrimaryOf(slot) == primary);
}
