namespace ReactiveKv.Tests.Support;

/// <summary>Generous time limits that only stop a broken test from hanging; nothing waits on them to synchronise.</summary>
internal static class Guard
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);
}
