using System.Net;
using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.KyotoTycoon;

/// <summary>The seed's gzip memcache-packer example: a large JSON document stored compressed, flagged so memcached clients know.</summary>
public sealed class KtMemcacheGzipExample : KtExample
{
    /// <inheritdoc />
    public override string Name => "kt-memcache-gzip";

    /// <inheritdoc />
    public override string Description => "Kyoto Tycoon memcache packer with gzip: a JSON document stored compressed with the gzip flag";

    /// <inheritdoc />
    protected override async Task RunAsync(KtClient client, IPEndPoint memcached, TextWriter output, CancellationToken cancellationToken)
    {
        var document = Enumerable.Range(0, 200).ToDictionary(i => $"user{i}", i => $"user number {i} likes the colour blue");
        const uint GzipFlag = 1;
        var packer = new MemcachePacker<Dictionary<string, string>>(ValuePackers.Json<Dictionary<string, string>>(), gzip: true, gzipThreshold: 100, gzipFlag: GzipFlag);
        await client.Set("doc"u8.ToArray(), document, packer);

        var raw = (await client.Get("doc"u8.ToArray()))!.Value;
        var plain = ValuePackers.Json<Dictionary<string, string>>().Pack(document).Length;
        output.WriteLine($"JSON {plain} bytes stored as {raw.Length} bytes (gzip + 4 flag bytes)");
        await using var memcache = await MemcachedTextClient.ConnectAsync(memcached, cancellationToken);
        var seen = await memcache.GetAsync("doc", cancellationToken);
        output.WriteLine($"memcached sees flags {seen!.Value.Flags} (gzip bit {GzipFlag})");
        var back = await client.Get("doc"u8.ToArray(), packer);

        Check.That(raw.Length < plain / 4, "gzip shrank the document");
        Check.Equal(GzipFlag, seen.Value.Flags & GzipFlag, "gzip flag seen by memcached");
        Check.Equal(document.Count, back!.Count, "documents round trip");
        Check.Equal(document["user7"], back["user7"], "a field round trips");
    }
}
