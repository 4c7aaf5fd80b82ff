using System.Reactive.Linq;
using System.Text;
using ReactiveKv.Pegasus;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Pegasus;

/// <summary>The client against the embedded server over loopback: every operation, scanners, and the fault cases.</summary>
public sealed class PegasusClientTests : IAsyncLifetime
{
    private Reactor _reactor = null!;
    private PegasusServer _server = null!;
    private PegasusClient _client = null!;
    private PegasusTable _table = null!;

    public async Task InitializeAsync()
    {
        _reactor = new Reactor(new ReactorOptions { LoopCount = 2 });
        _reactor.Start();
        _server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 8, Replicas = 3, Metas = 2 });
        _client = PegasusClient.Create(_reactor, new PegasusOptions { MetaServers = _server.MetaList.Split(','), Table = "temp", OperationTimeout = TimeSpan.FromSeconds(5) });
        _table = await _client.OpenTable().ToTask().Within();
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _reactor.DisposeAsync();
    }

    [Fact]
    public async Task SetGetRemove_RoundTrip_AndAMissingRecordIsNull()
    {
        await _table.Set(B("h1"), B("s1"), B("v1")).ToTask().Within();

        Assert.Equal("v1", S(await _table.Get(B("h1"), B("s1")).ToTask().Within()));
        Assert.True(await _table.Exist(B("h1"), B("s1")).ToTask().Within());
        Assert.Equal(-1, await _table.Ttl(B("h1"), B("s1")).ToTask().Within());
        await _table.Remove(B("h1"), B("s1")).ToTask().Within();
        Assert.Null(await _table.Get(B("h1"), B("s1")).ToTask().Within());
        Assert.False(await _table.Exist(B("h1"), B("s1")).ToTask().Within());
        Assert.Null(await _table.Ttl(B("h1"), B("s1")).ToTask().Within());
    }

    [Fact]
    public async Task ATtl_IsSentAsAnAbsolute2016EpochTime_AndReadBackAsSecondsLeft()
    {
        await _table.Set(B("ttl"), B("s"), B("v"), TimeSpan.FromSeconds(100)).ToTask().Within();

        var left = await _table.Ttl(B("ttl"), B("s")).ToTask().Within();
        Assert.InRange(left!.Value, 95, 100);
    }

    [Fact]
    public async Task TheEmptyHashKey_IsRoutedByTheSortKey_AndWorks()
    {
        await _table.Set([], B("only-sort"), B("v")).ToTask().Within();
        Assert.Equal("v", S(await _table.Get([], B("only-sort")).ToTask().Within()));
    }

    [Fact]
    public async Task MultiSetAndMultiGet_ByKeysAndByRange_WithEveryOption()
    {
        var hk = B("multi");
        await _table.MultiSet(hk, [.. new[] { "a1", "a2", "a3", "b1", "b2" }.Select(k => new KeyValuePair<byte[], byte[]>(B(k), B("v" + k)))]).ToTask().Within();

        var byKeys = await _table.MultiGet(hk, [B("b1"), B("a2"), B("zz")]).ToTask().Within();
        Assert.Equal(["a2", "b1"], byKeys.Values.Select(kv => S(kv.Key)));
        Assert.True(byKeys.AllFetched);

        var range = await _table.MultiGet(hk, B("a2"), B("b1"), new MultiGetOptions { StartInclusive = false, StopInclusive = true }).ToTask().Within();
        Assert.Equal(["a3", "b1"], range.Values.Select(kv => S(kv.Key)));

        var prefix = await _table.MultiGet(hk, [], [], new MultiGetOptions { SortKeyFilterType = FilterType.MatchPrefix, SortKeyFilterPattern = B("b") }).ToTask().Within();
        Assert.Equal(["b1", "b2"], prefix.Values.Select(kv => S(kv.Key)));

        var reverseLimited = await _table.MultiGet(hk, [], [], new MultiGetOptions { Reverse = true }, maxCount: 2).ToTask().Within();
        Assert.Equal(["b1", "b2"], reverseLimited.Values.Select(kv => S(kv.Key)));
        Assert.False(reverseLimited.AllFetched);

        var keysOnly = await _table.GetSortKeys(hk).ToTask().Within();
        Assert.Equal(5, keysOnly.Values.Count);
        Assert.All(keysOnly.Values, kv => Assert.Empty(kv.Value));

        Assert.Equal(5, await _table.SortKeyCount(hk).ToTask().Within());
        Assert.Equal(2, await _table.MultiDel(hk, [B("a1"), B("nope")]).ToTask().Within());
        Assert.Equal(4, await _table.SortKeyCount(hk).ToTask().Within());
    }

    [Fact]
    public async Task Incr_StartsFromZero_AndANonIntegerIsATypedError()
    {
        Assert.Equal(5, await _table.Incr(B("counter"), B("c"), 5).ToTask().Within());
        Assert.Equal(3, await _table.Incr(B("counter"), B("c"), -2).ToTask().Within());
        await _table.Set(B("counter"), B("text"), B("abc")).ToTask().Within();

        var error = await Assert.ThrowsAsync<PegasusException>(() => _table.Incr(B("counter"), B("text"), 1).ToTask().Within());
        Assert.Equal(RocksDbStatus.InvalidArgument, error.Status);
        Assert.Contains("temp", error.Message);
        Assert.Contains("incr", error.Message);
    }

    [Fact]
    public async Task CheckAndSet_AndCompareExchange_FollowTheCheck()
    {
        var first = await _table.CheckAndSet(B("cas"), B("k"), CheckType.ValueNotExist, [], B("k"), B("one"), returnCheckValue: true).ToTask().Within();
        var second = await _table.CheckAndSet(B("cas"), B("k"), CheckType.ValueNotExist, [], B("k"), B("two"), returnCheckValue: true).ToTask().Within();

        Assert.True(first.Succeeded);
        Assert.False(first.CheckValueExists);
        Assert.False(second.Succeeded);
        Assert.Equal("one", S(second.CheckValue!));

        var swapped = await _table.CompareExchange(B("cas"), B("k"), B("one"), B("three")).ToTask().Within();
        var refused = await _table.CompareExchange(B("cas"), B("k"), B("one"), B("four")).ToTask().Within();
        Assert.True(swapped.Succeeded);
        Assert.False(refused.Succeeded);
        Assert.Equal("three", S(refused.CheckValue!));
    }

    [Fact]
    public async Task AnOrderedScanner_ReturnsTheRangeInOrder_AcrossManyBatches()
    {
        var hk = B("scan");
        await _table.MultiSet(hk, [.. Enumerable.Range(0, 250).Select(i => new KeyValuePair<byte[], byte[]>(B($"k{i:000}"), B($"v{i}")))]).ToTask().Within();

        var all = await _table.GetScanner(hk, [], [], new ScanOptions { BatchSize = 7 }).ToList().ToTask().Within();
        var part = await _table.GetScanner(hk, B("k010"), B("k020"), new ScanOptions { BatchSize = 3, StopInclusive = true }).ToList().ToTask().Within();
        var pulled = new List<string>();
        await foreach (var record in _table.GetScannerAsync(hk, B("k100"), B("k105")))
        {
            pulled.Add(S(record.SortKey));
        }

        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"k{i:000}"), all.Select(r => S(r.SortKey)));
        Assert.All(all, r => Assert.Equal("scan", S(r.HashKey)));
        Assert.Equal(Enumerable.Range(10, 11).Select(i => $"k{i:000}"), part.Select(r => S(r.SortKey)));
        Assert.Equal(["k100", "k101", "k102", "k103", "k104"], pulled);
    }

    [Fact]
    public async Task DisposingAScannerEarly_ReleasesItsServerContext()
    {
        var hk = B("early");
        await _table.MultiSet(hk, [.. Enumerable.Range(0, 100).Select(i => new KeyValuePair<byte[], byte[]>(B($"k{i:000}"), B("v")))]).ToTask().Within();

        var firstFive = await _table.GetScanner(hk, [], [], new ScanOptions { BatchSize = 10 }).Take(5).ToList().ToTask().Within();

        // Rows reach this thread off the loop, and Take(5) completes the list before it disposes the scan (on another
        // thread), so the one-way clear_scanner may not even be sent yet; a request behind it on the same connection
        // is answered after it was handled. Round trips until it was, bounded by the guard, not a count.
        var deadline = DateTime.UtcNow + Guard.Timeout;
        do
        {
            await _table.Get(hk, B("k000")).ToTask().Within();
        }
        while (_server.LiveScanContexts != 0 && DateTime.UtcNow < deadline);

        Assert.Equal(5, firstFive.Count);
        Assert.Equal(0, _server.LiveScanContexts);
    }

    [Fact]
    public async Task AScan_SurvivesTheServerDroppingItsContext_WithoutLosingOrRepeatingRows()
    {
        var hk = B("expiring");
        await _table.MultiSet(hk, [.. Enumerable.Range(0, 30).Select(i => new KeyValuePair<byte[], byte[]>(B($"k{i:00}"), B("v")))]).ToTask().Within();
        var rows = new List<string>();
        var pages = 0;

        await foreach (var record in _table.GetScannerAsync(hk, [], [], new ScanOptions { BatchSize = 4 }))
        {
            rows.Add(S(record.SortKey));
            if (rows.Count % 4 == 0 && pages++ < 3)
            {
                _server.ExpireScanContexts();
            }
        }

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"k{i:00}"), rows);
    }

    [Fact]
    public async Task PublishingAScan_SharesOneScanBetweenSubscribers()
    {
        var hk = B("shared");
        await _table.MultiSet(hk, [.. Enumerable.Range(0, 12).Select(i => new KeyValuePair<byte[], byte[]>(B($"k{i:00}"), B("v")))]).ToTask().Within();
        var before = _server.RequestCount(RpcNames.GetScanner);

        var hot = _table.GetScanner(hk, [], [], new ScanOptions { BatchSize = 5 }).Publish();
        var first = hot.Count().ToTask();
        var second = hot.Select(r => S(r.SortKey)).ToList().ToTask();
        using (hot.Connect())
        {
            Assert.Equal(12, await first.Within());
            Assert.Equal(12, (await second.Within()).Count);
        }

        Assert.Equal(before + 1, _server.RequestCount(RpcNames.GetScanner));
    }

    [Fact]
    public async Task ADeadMetaInTheList_IsSkipped()
    {
        var dead = $"127.0.0.1:{ReactorFixture.FreePort()}";
        await using var client = PegasusClient.Create(_reactor, new PegasusOptions { MetaServers = [dead, .. _server.MetaList.Split(',')], Table = "temp", MetaTimeout = TimeSpan.FromSeconds(2) });

        var table = await client.OpenTable().ToTask().Within();

        Assert.Equal(_server.AppId("temp"), table.AppId);
    }

    [Fact]
    public void TheExponentialRetryPolicy_GrowsLikeJavas()
    {
        var delays = Enumerable.Range(0, 5).Select(PegasusRetryPolicy.Exponential.Delay).Select(d => d.TotalMilliseconds).ToList();

        Assert.All(delays.Zip(new[] { 20.0, 40, 60, 100, 200 }), pair => Assert.InRange(pair.First, pair.Second, pair.Second * 1.01));
        Assert.True(PegasusRetryPolicy.Default.Delay(10) < TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task UnorderedScanners_CoverEveryPartitionExactlyOnce()
    {
        var expected = new HashSet<string>();
        var writes = new List<Deferred<System.Reactive.Unit>>();
        for (var h = 0; h < 60; h++)
        {
            for (var s = 0; s < 3; s++)
            {
                expected.Add($"u{h}/{s}");
                writes.Add(_table.Set(B($"u{h}"), B($"{s}"), B("v")));
            }
        }

        await Deferred.Gather(writes).ToTask().Within();
        var scanners = _table.GetUnorderedScanners(3, new ScanOptions { BatchSize = 5 });
        var seen = await scanners.Merge().Select(r => $"{S(r.HashKey)}/{S(r.SortKey)}").ToList().ToTask().Within();

        Assert.Equal(3, scanners.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(expected, seen.ToHashSet());
        Assert.Equal(expected.Count, seen.Count(expected.Contains));
    }

    [Fact]
    public async Task AStaleRoute_IsRefreshedAndRetried_WhenThePrimaryMoves()
    {
        var hk = B("moving");
        var partition = (int)(PegasusCrc64.Compute(hk) % 8);
        await _table.Set(hk, B("s"), B("before")).ToTask().Within();

        _server.MovePrimary("temp", partition, (partition + 1) % 3);
        await _table.Set(hk, B("s"), B("after")).ToTask().Within();

        Assert.Equal("after", S(await _table.Get(hk, B("s")).ToTask().Within()));
    }

    [Fact]
    public async Task RoutingErrors_AreRetried_OtherErrorsFailAtOnceWithTheirName()
    {
        _server.FailNext(RpcNames.Get, "ERR_INVALID_STATE");
        await _table.Set(B("err"), B("s"), B("v")).ToTask().Within();
        Assert.Equal("v", S(await _table.Get(B("err"), B("s")).ToTask().Within()));

        _server.FailNext(RpcNames.Get, "ERR_BUSY");
        var busy = await Assert.ThrowsAsync<PegasusException>(() => _table.Get(B("err"), B("s")).ToTask().Within());
        Assert.Equal("ERR_BUSY", busy.ErrorName);
        Assert.Contains("err:s", busy.Message);
    }

    [Fact]
    public async Task AConnectionReset_IsRetriedOnANewConnection()
    {
        await _table.Set(B("reset"), B("s"), B("v")).ToTask().Within();
        _server.CloseConnections();

        Assert.Equal("v", S(await _table.Get(B("reset"), B("s")).ToTask().Within()));
    }

    [Fact]
    public async Task ADroppedReply_EndsInATypedTimeout_WithinTheDeadline()
    {
        await using var quick = PegasusClient.Create(_reactor, new PegasusOptions { MetaServers = _server.MetaList.Split(','), Table = "temp", OperationTimeout = TimeSpan.FromMilliseconds(300) });
        var table = await quick.OpenTable().ToTask().Within();
        _server.DropNext(RpcNames.Get, 100);

        var error = await Assert.ThrowsAsync<PegasusTimeoutException>(() => table.Get(B("drop"), B("s")).ToTask().Within());
        Assert.Contains("timed out", error.Message);
    }

    [Fact]
    public async Task CallsWhoseRepliesNeverCame_LeaveTheInFlightWindow()
    {
        // Replies are matched by seqid: a call that timed out must not keep its slot, or a window of one stays full for good.
        await using var narrow = PegasusClient.Create(_reactor, new PegasusOptions
        {
            MetaServers = _server.MetaList.Split(','),
            Table = "temp",
            OperationTimeout = TimeSpan.FromMilliseconds(200),
            MaxInFlight = 1,
        });
        var table = await narrow.OpenTable().ToTask().Within();
        await table.Set(B("window"), B("s"), B("v")).ToTask().Within();
        _server.DropNext(RpcNames.Get);

        await Assert.ThrowsAsync<PegasusTimeoutException>(() => table.Get(B("window"), B("s")).ToTask().Within());
        Assert.Equal("v", S(await table.Get(B("window"), B("s")).ToTask().Within()));
    }

    [Fact]
    public async Task AMissingTable_IsATypedError()
    {
        var error = await Assert.ThrowsAsync<PegasusException>(() => _client.OpenTable("no-such-table").ToTask().Within());
        Assert.Equal("ERR_OBJECT_NOT_FOUND", error.ErrorName);
    }

    [Fact]
    public async Task TheClient_FollowsAForwardToTheLeaderMeta()
    {
        _server.LeaderMeta = 1;
        await using var client = PegasusClient.Create(_reactor, new PegasusOptions { MetaServers = [_server.MetaList.Split(',')[0]], Table = "temp" });

        var table = await client.OpenTable().ToTask().Within();

        Assert.Equal(_server.AppId("temp"), table.AppId);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task BothMetaAnswerFormats_AndBothHeaderVersions_Work(bool hostPortFields, int headerVersion)
    {
        await using var server = await PegasusServer.StartAsync(_reactor, new PegasusServerOptions { Partitions = 4, HostPortFields = hostPortFields });
        await using var client = PegasusClient.Create(_reactor, new PegasusOptions { MetaServers = server.MetaList.Split(','), Table = "temp", HeaderVersion = headerVersion });
        var table = await client.OpenTable().ToTask().Within();

        await table.Set(B("fmt"), B("s"), B("v")).ToTask().Within();

        Assert.Equal("v", S(await table.Get(B("fmt"), B("s")).ToTask().Within()));
        Assert.Equal(4, table.PartitionCount);
    }

    [Fact]
    public async Task BatchOperations_KeepTheCallersOrder_AndReportPerItem()
    {
        var keys = Enumerable.Range(0, 40).Select(i => new PegasusKeyPair(B($"batch{i}"), B("s"))).ToList();
        var written = await _table.BatchSet([.. keys.Take(30).Select(k => new PegasusRecord(k.HashKey, k.SortKey, Concat(k.HashKey)))]).ToTask().Within();
        Assert.All(written, Assert.Null);

        var parallel = await _table.BatchGet(keys).ToTask().Within();
        var grouped = await _table.BatchGetByPartitions(keys).ToTask().Within();

        var expected = keys.Select((k, i) => i < 30 ? S(k.HashKey) + "!" : "(null)").ToList();
        Assert.Equal(expected, parallel.Select(S));
        Assert.Equal(expected, grouped.Select(S));
        Assert.True(_server.RequestCount(RpcNames.BatchGet) <= 8, "one BATCH_GET per partition at most");

        var removed = await _table.BatchDel(keys.Take(10).ToList()).ToTask().Within();
        Assert.All(removed, Assert.Null);
        Assert.Null(await _table.Get(keys[0].HashKey, keys[0].SortKey).ToTask().Within());
    }

    [Fact]
    public async Task CheckAndMutate_AppliesEveryMutation_OnlyWhenTheCheckPasses()
    {
        var hk = B("mutate");
        await _table.Set(hk, B("gone"), B("x")).ToTask().Within();
        var mutations = new[] { PegasusMutation.Put(B("a"), B("1")), PegasusMutation.Put(B("b"), B("2"), TimeSpan.FromSeconds(60)), PegasusMutation.Delete(B("gone")) };

        var passed = await _table.CheckAndMutate(hk, B("flag"), CheckType.ValueNotExist, [], mutations).ToTask().Within();
        await _table.Set(hk, B("flag"), B("set")).ToTask().Within();
        var failed = await _table.CheckAndMutate(hk, B("flag"), CheckType.ValueNotExist, [], [PegasusMutation.Put(B("c"), B("3"))], returnCheckValue: true).ToTask().Within();

        Assert.True(passed.Succeeded);
        Assert.False(failed.Succeeded);
        Assert.Equal("set", S(failed.CheckValue));
        Assert.Equal(["a", "b", "flag"], (await _table.GetSortKeys(hk).ToTask().Within()).Values.Select(kv => S(kv.Key)));
    }

    [Fact]
    public async Task DelRange_RemovesTheRange_AcrossSeveralBatches()
    {
        var hk = B("delrange");
        await _table.MultiSet(hk, [.. Enumerable.Range(0, 50).Select(i => new KeyValuePair<byte[], byte[]>(B($"k{i:00}"), B("v")))]).ToTask().Within();

        var removed = await _table.DelRange(hk, B("k10"), B("k40"), batchSize: 7).ToTask().Within();

        Assert.Equal(30, removed);
        Assert.Equal(20, await _table.SortKeyCount(hk).ToTask().Within());
        Assert.NotNull(await _table.Get(hk, B("k40")).ToTask().Within());
        Assert.Null(await _table.Get(hk, B("k10")).ToTask().Within());
    }

    [Fact]
    public async Task ABackupRequest_ToASecondary_AnswersWhenThePrimaryDoesNot()
    {
        await _table.Set(B("backup"), B("s"), B("v")).ToTask().Within();
        await using var client = PegasusClient.Create(_reactor, new PegasusOptions { MetaServers = _server.MetaList.Split(','), Table = "temp", BackupRequestDelay = TimeSpan.FromMilliseconds(20), OperationTimeout = TimeSpan.FromSeconds(5) });
        var table = await client.OpenTable().ToTask().Within();
        _server.DropNext(RpcNames.Get);

        Assert.Equal("v", S(await table.Get(B("backup"), B("s")).ToTask().Within()));
    }

    [Fact]
    public async Task Operations_AreCounted_ByTableAndOperation()
    {
        var seen = new List<(string Operation, string Outcome)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ReactiveKv.Pegasus" && instrument.Name == "pegasus.operations")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (map.GetValueOrDefault("table") == "temp")
            {
                lock (seen)
                {
                    seen.Add((map["operation"]!, map["outcome"]!));
                }
            }
        });
        listener.Start();

        await _table.Set(B("metric"), B("s"), B("v")).ToTask().Within();
        await Assert.ThrowsAsync<PegasusException>(() => _table.Incr(B("metric"), B("s"), 1).ToTask().Within());

        lock (seen)
        {
            Assert.Contains(("set", "ok"), seen);
            Assert.Contains(("incr", "error"), seen);
        }
    }

    [Fact]
    public void ClientSideLimits_RejectOversizedWrites_BeforeSending()
    {
        var error = Assert.Throws<ArgumentException>(() => _table.Set(B("big"), B("s"), new byte[(400 << 10) + 1]));
        Assert.Contains("PegasusLimits", error.Message);
        Assert.Throws<ArgumentException>(() => _table.MultiSet(B("big"), [.. Enumerable.Range(0, 1001).Select(i => new KeyValuePair<byte[], byte[]>(B($"{i}"), B("v")))]));
    }

    [Theory]
    [InlineData("pegasus://127.0.0.1:34601/temp", "127.0.0.1:34601", "temp")]
    [InlineData("pegasus://m1:1,m2:2/t%20x", "m1:1,m2:2", "t x")]
    public void PegasusUrls_Parse(string url, string metas, string table)
    {
        var options = PegasusOptions.Parse(url);
        Assert.Equal(metas, string.Join(',', options.MetaServers));
        Assert.Equal(table, options.Table);
    }

    [Theory]
    [InlineData("redis://x:1/t")]
    [InlineData("pegasus:///t")]
    [InlineData("pegasus://host/t")]
    [InlineData("pegasus://host:99999/t")]
    public void BadPegasusUrls_AreFormatErrors(string url) => Assert.Throws<FormatException>(() => PegasusOptions.Parse(url));

    private static byte[] Concat(byte[] key) => [.. key, (byte)'!'];

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string S(byte[]? bytes) => bytes is null ? "(null)" : Encoding.UTF8.GetString(bytes);
}
