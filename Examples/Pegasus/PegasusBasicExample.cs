using System.Text;
using ReactiveKv.Examples.Catalog;
using ReactiveKv.Pegasus;

namespace ReactiveKv.Examples.Pegasus;

/// <summary>The Python client's <c>basic_test</c> sample: init, set with a TTL, get, ttl, remove.</summary>
public sealed class PegasusBasicExample : PegasusExample
{
    /// <inheritdoc />
    public override string Name => "pegasus-basic";

    /// <inheritdoc />
    public override string Description => "Pegasus basic_test: open table, set with TTL, get, ttl, exist, remove";

    /// <inheritdoc />
    protected override async Task RunAsync(PegasusTable table, TextWriter output, CancellationToken cancellationToken)
    {
        var hashKey = Encoding.UTF8.GetBytes(Prefix + "hkey1");
        var sortKey = "skey1"u8.ToArray();
        output.WriteLine($"table {table.Name}: app id {table.AppId}, {table.PartitionCount} partitions");

        await table.Set(hashKey, sortKey, "value"u8.ToArray(), TimeSpan.FromSeconds(100));
        var value = await table.Get(hashKey, sortKey);
        var ttl = await table.Ttl(hashKey, sortKey);
        output.WriteLine($"set/get -> {PegasusText.Show(value ?? [])}, ttl {ttl} s");
        Check.Equal("value", value is null ? null : Encoding.UTF8.GetString(value), "get after set");
        Check.That(ttl is > 0 and <= 100, $"ttl in (0, 100], was {ttl}");

        await table.Remove(hashKey, sortKey);
        var gone = await table.Get(hashKey, sortKey);
        output.WriteLine($"after remove, get -> {(gone is null ? "(not found)" : PegasusText.Show(gone))}");
        Check.That(gone is null, "get after remove is not found");
        Check.That(!await table.Exist(hashKey, sortKey), "exist after remove is false");
    }
}
