namespace ReactiveKv.Tests.Support;

/// <summary>Generous time limits that only stop a broken test from hanging; nothing waits on them to synchronise.</summary>
internal static class Guard
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    /// <summary>Spins until another thread has brought about <paramref name="condition"/>; fails the test if it never does.</summary>
    public static void Until(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, Timeout))
        {
            throw new TimeoutException($"Never happened: {what}.");
        }
    }
}
