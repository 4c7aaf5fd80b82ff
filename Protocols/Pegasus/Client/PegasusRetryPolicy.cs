namespace ReactiveKv.Pegasus;

/// <summary>The pause before retry number <c>attempt</c> (0-based) of an operation, within its deadline.</summary>
public abstract class PegasusRetryPolicy
{
    /// <summary>Retries almost at once (Java's DEFAULT policy).</summary>
    public static PegasusRetryPolicy Default { get; } = new Fixed(TimeSpan.FromMilliseconds(1));

    /// <summary>Java's EXPONENTIAL policy: 20 ms times 1, 2, 3, 5, 10, 20, 40, 100, ... with 1% jitter.</summary>
    public static PegasusRetryPolicy Exponential { get; } = new Backoff(TimeSpan.FromMilliseconds(20));

    /// <summary>The pause before the given retry.</summary>
    public abstract TimeSpan Delay(int attempt);

    private sealed class Fixed(TimeSpan delay) : PegasusRetryPolicy
    {
        public override TimeSpan Delay(int attempt) => delay;
    }

    private sealed class Backoff(TimeSpan basis) : PegasusRetryPolicy
    {
        private static readonly int[] Factors = [1, 2, 3, 5, 10, 20, 40, 100, 100, 100, 100, 200, 200];

        public override TimeSpan Delay(int attempt)
        {
            var factor = Factors[Math.Min(attempt, Factors.Length - 1)];
            return basis * factor * (1 + Random.Shared.NextDouble() * 0.01);
        }
    }
}
