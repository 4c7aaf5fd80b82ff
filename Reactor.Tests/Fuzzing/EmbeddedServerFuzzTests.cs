using ReactiveKv.Fuzzing;
using ReactiveKv.Tests.Support;
using Xunit.Abstractions;

namespace ReactiveKv.Tests.Fuzzing;

/// <summary>
/// The decoder fuzzer's hostile inputs sent to every embedded server over loopback sockets (a short run; the long one
/// is <c>-- fuzz --only server</c>): between bursts the server still answers a valid request on a connection opened
/// before them and on a fresh one, and its heap stays bounded.
/// </summary>
[Collection(nameof(HeapMeasuringCollection))]
public class EmbeddedServerFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261205;

    public static TheoryData<string> Servers() => [.. ServerFuzzer.Servers];

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task HostileConnections_LeaveTheServerAnsweringOthers_WithABoundedHeap(string server)
    {
        await using var reactor = new Reactor();
        reactor.Start();
        var fuzzer = new ServerFuzzer(Seed);

        var failures = await fuzzer.RunAsync(reactor, server, 320, maxHeapGrowth: 64L << 20).Within();

        foreach (var failure in failures)
        {
            output.WriteLine(failure.ToString());
        }

        Assert.True(failures.Count == 0, $"seed {Seed}: {failures.FirstOrDefault()?.What}");
        Assert.Equal(320, fuzzer.Inputs);
    }
}
