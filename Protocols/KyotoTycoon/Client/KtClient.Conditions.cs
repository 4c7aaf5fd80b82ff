using System.Text;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <summary>
    /// <c>SIGNAL</c> (on a <c>void</c> call): wakes the oldest request waiting on <paramref name="condition"/>, or every
    /// one with <paramref name="broadcast"/> (<c>SIGNALBROAD</c>); fires with how many were woken. A signal with
    /// nobody waiting is lost, as with any condition variable.
    /// </summary>
    public Deferred<int> Signal(string condition, bool broadcast = false)
    {
        var input = new List<(string, byte[])> { ("SIGNAL", Encoding.UTF8.GetBytes(condition)) };
        if (broadcast)
        {
            // A flag: the server looks only at its presence, and a TSV line needs the tab (spec §9.2).
            input.Add(("SIGNALBROAD", []));
        }

        return Rpc("void", input, (_, o) => (int)o.OrThrow(o.Long("SIGNALED")));
    }

    /// <summary>
    /// <c>WAIT</c> (on a <c>void</c> call): true once another client signals <paramref name="condition"/>, false when
    /// <paramref name="timeout"/> (ktserver's default: 30 s) passes first (the server's 503). The wait holds a
    /// connection, so it runs on one of its own, closed afterwards; this client's pipelined connection never stalls.
    /// </summary>
    public Deferred<bool> WaitFor(string condition, TimeSpan? timeout = null)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(30);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        var waiter = new KtClient(_reactor, Options with { OperationTimeout = wait + Options.OperationTimeout });
        var seconds = Encoding.ASCII.GetBytes(wait.TotalSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        var result = waiter.Rpc("void", [("WAIT", Encoding.UTF8.GetBytes(condition)), ("WAITTIME", seconds)], (status, o) => status != 503 && o.OrThrow(true));
        result.Subscribe(_ => { }, error => _ = waiter.DisposeAsync(), () => _ = waiter.DisposeAsync());
        return result;
    }
}
