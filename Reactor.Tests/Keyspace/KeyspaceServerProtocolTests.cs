using ReactiveKv.Keyspace;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>Raw sockets against the embedded cluster, byte for byte against the exchanges the spec recorded (§2, §4, §6, §8.3, §9).</summary>
public class KeyspaceServerProtocolTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task SpecExamples_AreAnsweredByteForByte(int nodes)
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(nodes);
        var c = await cluster.ConnectMasterAsync();
        await c.SendAsync("19:s:31:8:kprobe/a:1:11:*");
        Assert.Equal("4:o:31", await c.NextAsync());
        await c.SendAsync("21:s:32:8:kprobe/b:3:two18:s:33:8:kprobe/c:0:1:*");
        Assert.Equal("4:o:324:o:33", await c.NextAsync(2));

        await c.SendAsync("15:g:61:8:kprobe/b");
        Assert.Equal("10:o:61:3:two", await c.NextAsync());
        await c.SendAsync("15:g:71:8:kprobe/c");
        Assert.Equal("7:o:71:0:", await c.NextAsync());
        await c.SendAsync("16:g:81:9:kprobe/zz");
        Assert.Equal("4:f:81", await c.NextAsync());
        await c.SendAsync("30:l:101:7:kprobe/:0::1:0:1:0:1:f");
        Assert.Equal("16:i:101:8:kprobe/a16:i:101:8:kprobe/b16:i:101:8:kprobe/c5:.:101", await c.NextAsync(4));
        await c.SendAsync("30:p:141:7:kprobe/:0::1:0:1:0:1:f");
        Assert.Equal("20:j:141:8:kprobe/a:1:122:j:141:8:kprobe/b:3:two19:j:141:8:kprobe/c:0:5:.:141", await c.NextAsync(4));
        await c.SendAsync("30:c:151:7:kprobe/:0::1:0:1:0:1:f");
        Assert.Equal("9:o:151:1:3", await c.NextAsync());
        await c.SendAsync("21:a:211:8:kprobe/a:2:411:*");
        Assert.Equal("10:o:211:2:42", await c.NextAsync());
        await c.SendAsync("4:m:20");
        Assert.Equal("8:o:20:1:0", await c.NextAsync());
    }

    [Fact]
    public async Task LeadingZeros_InTheLengthAndTheId_AreAcceptedAndTheIdComesBackCanonical()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync();
        var c = await cluster.ConnectAsync();
        await c.SendAsync("12:s:1:2:k1:1:x1:*0009:g:81:2:k110:g:071:2:k1");
        Assert.Equal("3:o:18:o:81:1:x8:o:71:1:x", await c.NextAsync(3));
        await c.SendAsync("22:m:18446744073709551615");
        Assert.Equal("26:o:18446744073709551615:1:0", await c.NextAsync());
    }

    [Fact]
    public async Task ReadsOvertakeUnsubmittedWrites_AndWritesAnswerInQueueOrderAfterTheSubmit()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3);
        var c = await cluster.ConnectMasterAsync();
        Assert.Equal("o", ((char)(await c.WriteAsync(Ks.Set("k", "v1"))).Type).ToString());

        // §6: s:101, g:111, * → o:111:2:v1 then o:101.
        await c.SendAsync("14:s:101:1:k:2:v29:g:111:1:k1:*");
        Assert.Equal("10:o:111:2:v15:o:101", await c.NextAsync(2));

        // §2's back-to-back pair: a set and a delete of a missing key in one round.
        await c.SendAsync("14:s:121:1:k:2:v311:d:131:3:zzz1:*");
        Assert.Equal("5:o:1215:f:131", await c.NextAsync(2));
    }

    [Fact]
    public async Task ASubmitFromAnyConnection_FlushesEveryConnectionsQueuedWrites()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3);
        var a = await cluster.ConnectMasterAsync();
        var b = await cluster.ConnectMasterAsync();
        await a.SendAsync("12:s:1:1:a:2:va");
        await b.SendAsync("12:s:2:1:b:2:vb");

        // A read on b after its write proves both writes are queued (and unanswered) before the submit.
        await b.SendAsync("3:m:3");
        Assert.Equal("7:o:3:1:0", await b.NextAsync());
        await a.SendAsync("3:m:4");
        Assert.Equal("7:o:4:1:0", await a.NextAsync());

        await a.SubmitAsync();
        Assert.Equal("3:o:1", await a.NextAsync());
        Assert.Equal("3:o:2", await b.NextAsync());
    }

    [Fact]
    public async Task ALoneWriteWithoutSubmit_IsNeverAnsweredInReplicatedMode_ButAtOnceInSingleMode()
    {
        await using var replicated = await KeyspaceTestCluster.StartAsync(3);
        var r = await replicated.ConnectMasterAsync();
        await r.SendAsync("12:s:1:1:a:2:va3:m:2");
        Assert.Equal("7:o:2:1:0", await r.NextAsync());
        Assert.Null(replicated.Server.Peek(0, KeyspaceTestCluster.B("a")));

        await using var single = await KeyspaceTestCluster.StartAsync(1);
        var s = await single.ConnectAsync();
        await s.SendAsync("12:s:1:1:a:2:va3:m:2");
        Assert.Equal("3:o:17:o:2:1:0", await s.NextAsync(2));
    }

    [Fact]
    public async Task ANonMaster_AnswersAsSection83()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3);
        var master = await cluster.ConnectAsync(0);
        await master.WriteAsync(Ks.Set("k", "v"));

        var other = await cluster.ConnectAsync(1);
        await other.SendAsync("1:*3:m:1");
        Assert.Equal("7:o:1:1:0", await other.NextAsync());
        await other.SendAsync("7:G:2:1:k");
        Assert.Equal("7:o:2:1:v", await other.NextAsync());
        await other.SendAsync("21:L:3:0::0::1:0:1:0:1:f");
        Assert.Equal("7:i:3:1:k3:.:3", await other.NextAsync(2));
        await other.SendAsync("21:C:4:0::0::1:0:1:0:1:f");
        Assert.Equal("7:o:4:1:1", await other.NextAsync());

        // A safe read is rejected with f and the close; what was pipelined behind it is never answered.
        await other.SendAsync("7:g:5:1:k3:m:6");
        Assert.Equal("3:f:5", await other.NextAsync());
        Assert.True(await other.ClosedAsync());

        var writer = await cluster.ConnectAsync(2);
        await writer.SendAsync("12:s:7:1:k:2:v21:*");
        Assert.Equal("3:f:7", await writer.NextAsync());
        Assert.True(await writer.ClosedAsync());
        Assert.Equal("v", KeyspaceTestCluster.S(cluster.Server.Peek(2, KeyspaceTestCluster.B("k"))));
    }

    [Theory]
    [InlineData("11:x:1:1:k:1:v")]                // unknown letter
    [InlineData("13:s:1:1:k:1:vXX")]              // trailing bytes
    [InlineData("8:s:1:1:k:")]                    // missing field
    [InlineData("12:a:1:1:k:2:+1")]               // '+' in the delta
    [InlineData("21:l:1:0::0::1:0:1:0:1:x")]      // a direction other than f or b
    [InlineData("8:g:1x:1:k")]                     // a non-digit id
    [InlineData("2x:m:1")]                        // a non-digit in the length
    [InlineData("999999:s:1")]                    // a frame over the server's buffer
    public async Task AMalformedFrame_ClosesThatConnectionWithoutAReply_AndOthersKeepWorking(string frame)
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync(3);
        var bystander = await cluster.ConnectAsync();
        var bad = await cluster.ConnectAsync();

        await bad.SendAsync(frame);

        Assert.True(await bad.ClosedAsync());
        await bystander.SendAsync("3:m:1");
        Assert.Equal("7:o:1:1:0", await bystander.NextAsync());
    }

    [Theory]
    [InlineData(KeyspaceLimits.MaxKeyBytes + 1, 1)]
    [InlineData(1, KeyspaceLimits.MaxValueBytes + 1)]
    public async Task AnOversizedKeyOrValue_ClosesThatConnectionOnly(int keyBytes, int valueBytes)
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync();
        var bystander = await cluster.ConnectAsync();
        var bad = await cluster.ConnectAsync();

        await bad.SendAsync(new KeyspaceRequest { Command = KeyspaceCommand.Set, Key = new byte[keyBytes], Value = new byte[valueBytes] });

        Assert.True(await bad.ClosedAsync());
        Assert.Equal(KeyspaceReplyType.Ok, (await bystander.WriteAsync(Ks.Set("k", "v"))).Type);
    }

    [Fact]
    public async Task TheLargestKeyAndValue_AreAccepted()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync();
        var c = await cluster.ConnectAsync();
        var key = new string('k', KeyspaceLimits.MaxKeyBytes);
        var value = new string('v', KeyspaceLimits.MaxValueBytes);

        Assert.Equal(KeyspaceReplyType.Ok, (await c.WriteAsync(Ks.Set(key, value))).Type);
        Assert.Equal(value, KeyspaceTestCluster.S((await c.CallAsync(Ks.Get(key))).Value));
    }

    [Fact]
    public async Task AFrameNotStartingWithADigit_IsNeitherAnsweredNorClosed()
    {
        await using var cluster = await KeyspaceTestCluster.StartAsync();
        var c = await cluster.ConnectAsync();

        await c.SendAsync("3:m:1m:2");

        Assert.Equal("7:o:1:1:0", await c.NextAsync());
        Assert.True(await c.SilentForAsync(TimeSpan.FromMilliseconds(300)));
    }
}
