using System.Text;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <inheritdoc />
    public Deferred<int> Signal(string condition, bool broadcast = false, CancellationToken cancellationToken = default)
    {
        var input = new List<(string, byte[])> { ("SIGNAL", Encoding.UTF8.GetBytes(condition)) };
        if (broadcast)
        {
            // A flag: the server looks only at its presence, and a TSV line needs the tab (spec §9.2).
            input.Add(("SIGNALBROAD", []));
        }

        return Rpc("void", input, (_, o) => (int)o.OrThrow(o.Long("SIGNALED")), cancellationToken);
    }

    /// <inheritdoc />
    public Deferred<bool> WaitFor(string condition, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(30);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        var waiter = new KtClient(_reactor, Options with { OperationTimeout = wait + Options.OperationTimeout });
        var seconds = Encoding.ASCII.GetBytes(wait.TotalSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        var result = waiter.Rpc("void", [("WAIT", Encoding.UTF8.GetBytes(condition)), ("WAITTIME", seconds)], (status, o) => status != 503 && o.OrThrow(true), cancellationToken);
        result.Subscribe(_ => { }, error => _ = waiter.DisposeAsync(), () => _ = waiter.DisposeAsync());
        return result;
    }
}
