namespace ReactiveKv.Benchmarks.Measure;

/// <summary>The pipelined workload of every suite: a window of calls issued back to back, then all awaited, until stopped.</summary>
public static class Pipelined
{
    /// <summary>
    /// Issues <paramref name="window"/> calls, awaits each Deferred as issued (no Task wrapper), and repeats until
    /// <paramref name="stop"/>; counts <paramref name="countEach"/> per call (records of a bulk call).
    /// </summary>
    public static async Task<long> WindowsAsync<T>(CancellationToken stop, int window, Func<Deferred<T>> issue, int countEach = 1)
    {
        long n = 0;
        var pending = new Deferred<T>[window];
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < window; i++)
            {
                pending[i] = issue();
            }

            foreach (var result in pending)
            {
                await result;
            }

            n += (long)window * countEach;
        }

        return n;
    }

    /// <summary>
    /// The same window for clients whose calls return tasks (StackExchange.Redis): issue <paramref name="window"/>
    /// calls, await them all, repeat until <paramref name="stop"/>.
    /// </summary>
    public static async Task<long> TasksAsync<T>(CancellationToken stop, int window, Func<Task<T>> issue)
    {
        long n = 0;
        var pending = new Task<T>[window];
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < window; i++)
            {
                pending[i] = issue();
            }

            await Task.WhenAll(pending);
            n += window;
        }

        return n;
    }
}
