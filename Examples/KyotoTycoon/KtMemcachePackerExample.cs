using System.Net;
using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.KyotoTycoon;

namespace ReactiveKv.Examples.KyotoTycoon;

/// <summary>The seed's memcache-packer example: values written through KT with flags, read by a memcached client through the plugin, and back.</summary>
public sealed class KtMemcachePackerExample : KtExample
{
    /// <inheritdoc />
    public override string Name => "kt-memcache-packer";

    /// <inheritdoc />
    public override string Description => "Kyoto Tycoon memcache packer: KT writes value+flags, a memcached client reads them, and the other way";

    /// <inheritdoc />
    protected override async Task RunAsync(KtClient client, IPEndPoint memcached, TextWriter output, CancellationToken cancellationToken)
    {
        var packer = new MemcachePacker<string>(ValuePackers.Utf8, flags: 42);
        await client.Set("greeting"u8.ToArray(), "hello from KT", packer);
        await using var memcache = await MemcachedTextClient.ConnectAsync(memcached, cancellationToken);
        var read = await memcache.GetAsync("greeting", cancellationToken);
        output.WriteLine($"memcached get greeting -> '{Encoding.UTF8.GetString(read!.Value.Value)}' flags {read.Value.Flags}");
        Check.Equal("hello from KT", Encoding.UTF8.GetString(read.Value.Value), "value seen by memcached");
        Check.Equal(42u, read.Value.Flags, "flags seen by memcached");

        await memcache.SetAsync("reply", "hello from memcached"u8.ToArray(), 7, cancellationToken);
        var back = await client.Get("reply"u8.ToArray(), packer);
        var stored = (await client.Get("reply"u8.ToArray()))!.Value;
        MemcachePacker<string>.Split(stored, out var flags);
        output.WriteLine($"KT get reply -> '{back}' flags {flags}");
        Check.Equal("hello from memcached", back, "value seen by KT");
        Check.Equal(7u, flags, "flags seen by KT");
    }
}
