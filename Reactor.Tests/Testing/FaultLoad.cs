using ReactiveKv.Testing;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.FaultInjection;

/// <summary>
/// The load-and-verify shape every backend's <see cref="FaultProxy"/> resilience tests share: rounds of calls on keys
/// of their own, a fault from round <see cref="FaultRound"/>, healed at round <see cref="HealRound"/>; then each key's
/// stored state checked against what its call reported. Kept in one place so the backends' tests assert the same
/// contract instead of five copies drifting apart.
/// </summary>
internal static class FaultLoad
{
    public const int Rounds = 16;

    // Four healthy rounds first: the client is connected and warm when the fault lands.
    public const int FaultRound = 4;

    // Five rounds after healing: the client has time to reconnect, and the last round must go through whole.
    public const int HealRound = 11;

    /// <summary>
    /// Runs <see cref="Rounds"/> rounds of <paramref name="perRound"/> calls, keys <c>{prefix}:{round}:{i}</c>, each
    /// round awaited whole within <paramref name="deadline"/> (a call left unsettled fails the test there).
    /// </summary>
    public static async Task<List<(string Key, DeferredResult<T> Outcome)>> RunAsync<T>(
        string prefix, int perRound, Func<string, Deferred<T>> call, Action fault, Action heal, TimeSpan deadline)
    {
        var calls = new List<(string Key, DeferredResult<T> Outcome)>();
        for (var round = 0; round < Rounds; round++)
        {
            if (round == FaultRound)
            {
                fault();
            }

            if (round == HealRound)
            {
                heal();
            }

            var keys = Enumerable.Range(0, perRound).Select(i => $"{prefix}:{round}:{i}").ToList();
            var outcomes = await Deferred.List(keys.Select(call)).ToTask().WaitAsync(deadline);
            calls.AddRange(keys.Zip(outcomes));
        }

        return calls;
    }

    /// <summary>The failures, by type: how the faults played out differs from run to run, so tests log it.</summary>
    public static string Describe<T>(IReadOnlyCollection<(string Key, DeferredResult<T> Outcome)> calls)
    {
        var failures = calls.Where(c => !c.Outcome.Success).Select(c => c.Outcome.Error!).ToList();
        return $"{calls.Count} calls, {failures.Count} failed: {string.Join(", ", failures.GroupBy(e => e.GetType().Name).Select(g => $"{g.Key} x{g.Count()}"))}";
    }

    /// <summary>True for the keys of the last round, which runs after healing and must succeed whole.</summary>
    public static bool InLastRound(string key, string prefix) => key.StartsWith($"{prefix}:{Rounds - 1}:", StringComparison.Ordinal);

    /// <summary>The reactor's shared "did not run" contract: a connection error or timeout that says it may not have executed.</summary>
    public static bool ReportedNotExecuted(Exception? error) =>
        error is ClientConnectionException { MayHaveExecuted: false } or OperationTimeoutException { MayHaveExecuted: false };

    /// <summary>
    /// Checks each call against what it left behind (<paramref name="stored"/>, null for nothing): an acknowledged
    /// call left <paramref name="done"/>; a call reported as not executed left <paramref name="untouched"/>; any other
    /// failure left one or the other, never a second application (which would mean the client sent it twice).
    /// </summary>
    public static void AssertStored<T>(
        IEnumerable<(string Key, DeferredResult<T> Outcome)> calls,
        Func<string, string?> stored,
        string done,
        string? untouched,
        Func<Exception?, bool>? notExecuted = null)
    {
        notExecuted ??= ReportedNotExecuted;
        foreach (var (key, outcome) in calls)
        {
            var value = stored(key);
            if (outcome.Success)
            {
                Assert.True(value == done, $"{key} was acknowledged but holds {value ?? "nothing"}");
            }
            else if (notExecuted(outcome.Error))
            {
                Assert.True(value == untouched, $"{key} was reported as not executed ({outcome.Error!.GetType().Name}) but holds {value ?? "nothing"}");
            }
            else
            {
                Assert.True(value == untouched || value == done, $"{key} holds {value ?? "nothing"}");
            }
        }
    }

    /// <summary>
    /// A call racing a cut can still fail with a typed error; the next one goes through the new connection. The
    /// optional <paramref name="undo"/> runs before each attempt, so a write that may have run is undone first.
    /// </summary>
    public static async Task<T> RetryUntilConnected<T>(Func<Deferred<T>> call, Func<Exception, bool> transient, Func<Task>? undo = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (undo is not null)
                {
                    await undo().Within();
                }

                return await call().ToTask().Within();
            }
            catch (Exception e) when (attempt < 20 && transient(e))
            {
            }
        }
    }
}
