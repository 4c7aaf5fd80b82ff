using System.Reactive;
using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary><see cref="IKtClient"/>: code written against it runs on a fake and on the real client; cancellation tokens.</summary>
public sealed class KtInterfaceTests() : KtServerTest(2)
{
    protected override KtServerOptions ServerOptions => new();

    [Fact]
    public async Task CodeWrittenAgainstTheInterface_RunsOnAFake_AndPassesTheTokenOn()
    {
        using var cts = new CancellationTokenSource();
        var (kt, fake) = ProxyFake<IKtClient>.Create((method, args) => method.Name switch
        {
            nameof(IKtClient.Increment) => Deferred.Succeed(1L),
            nameof(IKtClient.Set) => Deferred.Succeed(Unit.Default),
            _ => throw new NotSupportedException(method.Name),
        });

        Assert.Equal(1, await CountVisitAsync(kt, "home", cts.Token));

        Assert.Equal([nameof(IKtClient.Increment), nameof(IKtClient.Set)], fake.Calls.Select(c => c.Method));
        Assert.All(fake.Calls, c => Assert.Equal(cts.Token, c.Args[^1]));
        Assert.Equal("first:home", S((byte[])fake.Calls[1].Args[0]!));
    }

    [Fact]
    public async Task TheRealClient_ThroughTheInterface_AgainstTheEmbeddedServer()
    {
        IKtClient kt = Client;

        Assert.Equal(1, await CountVisitAsync(kt, "home"));
        Assert.Equal(2, await CountVisitAsync(kt, "home"));
        Assert.Equal("yes", S((await kt.Get(B("first:home")).ToTask().Within())!.Value));
        Assert.Equal(ClientConnectionState.Connected, kt.ConnectionState);
    }

    [Fact]
    public async Task APreCancelledToken_FailsTheCall_AndTheConnectionKeepsWorking()
    {
        await Client.Set(B("k"), B("v")).ToTask().Within();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.Get(B("k"), cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ((IKtClient)Client).Remove(B("k"), cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.GetBulkBinary([B("k")], cancellationToken: cts.Token).ToTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.RestPut(B("k"), B("w"), cancellationToken: cts.Token).ToTask().Within());

        // A call cancelled before it was made is never sent.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.Set(B("unsent"), B("x"), cancellationToken: cts.Token).ToTask().Within());
        Assert.Null(await Client.Get(B("unsent")).ToTask().Within());

        Assert.Equal("v", S((await Client.Get(B("k")).ToTask().Within())!.Value));
    }

    [Fact]
    public async Task CancellingAPendingCall_FailsOnlyIt_AndItsLateReplyIsDropped_NotGivenToTheNextCall()
    {
        var registered = WaitersRegistered(1);
        using var cts = new CancellationTokenSource();

        // The server holds this set (and so everything pipelined behind it) until "go" is signalled.
        var held = Client.Call("set", [("WAIT", B("go")), ("key", B("a")), ("value", B("1"))], cts.Token).ToTask();
        await registered.Within();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.Within());

        var getBehind = Client.Get(B("a")).ToTask();
        var binaryBehind = Client.GetBulkBinary([B("a")]).ToTask();
        await using var other = KtClient.Create(Reactor, new KtOptions { Port = Server.Address.Port });
        Assert.Equal(1, await other.Signal("go").ToTask().Within());

        // The set's own reply (an empty 200) came first and was read and dropped: the get has its record.
        Assert.Equal("1", S((await getBehind.Within())!.Value));
        Assert.Equal("1", S(Assert.Single(await binaryBehind.Within()).Value));
        Assert.Equal(1, await Client.Increment(B("n"), 1).ToTask().Within());
    }

    // Application code that knows only the interface.
    private static async Task<long> CountVisitAsync(IKtClient kt, string page, CancellationToken cancellationToken = default)
    {
        var count = await kt.Increment(B("visits:" + page), 1, cancellationToken: cancellationToken);
        if (count == 1)
        {
            await kt.Set(B("first:" + page), B("yes"), cancellationToken: cancellationToken);
        }

        return count;
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
