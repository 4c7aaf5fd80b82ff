using System.Text;
using ReactiveKv.KyotoTycoon;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.KyotoTycoon;

/// <summary>WAIT / SIGNAL / SIGNALBROAD (spec §3.6) between clients of the embedded server.</summary>
public sealed class KtConditionTests() : KtServerTest(2)
{
    private KtClient _waiter = null!;

    protected override KtServerOptions ServerOptions => new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _waiter = KtClient.Create(Reactor, new KtOptions { Port = Server.Address.Port });
    }

    public override async Task DisposeAsync()
    {
        await _waiter.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task WaitFor_IsTrue_WhenSignalled_AndTheSignalCountsOneWaiter()
    {
        var registered = WaitersRegistered(1);
        var waiting = _waiter.WaitFor("job", TimeSpan.FromSeconds(30)).ToTask();
        await registered.Within();

        Assert.Equal(1, await Client.Signal("job").ToTask().Within());
        Assert.True(await waiting.Within());
        Assert.Equal(0, await Client.Signal("job").ToTask().Within());
    }

    [Fact]
    public async Task WaitFor_IsFalse_WhenNoSignalComesInTime()
    {
        Assert.False(await _waiter.WaitFor("nobody", TimeSpan.FromMilliseconds(50)).ToTask().Within());
    }

    [Fact]
    public async Task Signal_WakesOneWaiter_Broadcast_WakesTheRest()
    {
        var registered = WaitersRegistered(3);
        var waits = Enumerable.Range(0, 3).Select(_ => _waiter.WaitFor("all", TimeSpan.FromSeconds(30)).ToTask()).ToArray();
        await registered.Within();

        Assert.Equal(1, await Client.Signal("all").ToTask().Within());
        Assert.Equal(2, await Client.Signal("all", broadcast: true).ToTask().Within());
        Assert.All(await Task.WhenAll(waits).Within(), Assert.True);
    }

    [Fact]
    public async Task AWaitingProcedure_RunsOnlyAfterTheSignal_AndRequestsPipelinedBehindItWait()
    {
        var registered = WaitersRegistered(1);
        var set = _waiter.Call("set", [("WAIT", B("go")), ("key", B("k")), ("value", B("v"))]).ToTask();
        var getBehind = _waiter.Get(B("k")).ToTask();
        await registered.Within();

        Assert.Null(await Client.Get(B("k")).ToTask().Within());
        Assert.False(getBehind.IsCompleted);
        Assert.Equal(1, await Client.Signal("go").ToTask().Within());
        Assert.Equal(200, (await set.Within()).Status);
        Assert.Equal("v", Encoding.UTF8.GetString((await getBehind.Within())!.Value));
    }

    [Fact]
    public async Task ATimedOutWait_Answers503_AndDoesNotRunTheProcedure()
    {
        var reply = await _waiter.Call("set", [("WAIT", B("never")), ("WAITTIME", B("0.05")), ("key", B("k")), ("value", B("v"))]).ToTask().Within();

        Assert.Equal(503, reply.Status);
        Assert.Contains(reply.Output, e => Encoding.UTF8.GetString(e.Name) == "ERROR" && Encoding.UTF8.GetString(e.Value) == "the condition timed out");
        Assert.Null(await _waiter.Get(B("k")).ToTask().Within());
    }

    [Fact]
    public async Task SignalIsReported_EvenWhenTheProcedureFails()
    {
        var reply = await Client.Call("replace", [("SIGNAL", B("x")), ("key", B("missing")), ("value", B("v"))]).ToTask().Within();

        Assert.Equal(450, reply.Status);
        Assert.Contains(reply.Output, e => Encoding.UTF8.GetString(e.Name) == "SIGNALED" && Encoding.UTF8.GetString(e.Value) == "0");
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
