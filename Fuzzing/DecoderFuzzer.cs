using System.Diagnostics;

namespace ReactiveKv.Fuzzing;

/// <summary>
/// Drives one <see cref="FuzzTarget"/>: valid streams split at random points must decode exactly as unsplit; mutated
/// and hostile streams, split at random points, must end in frames or a typed protocol error, make progress, and stay
/// within the decoder's limits. Deterministic for a seed.
/// </summary>
public sealed class DecoderFuzzer
{
    // Wall time, so a loaded machine can stall an input for a second or two; a decoder that hangs is the watchdog's.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(10);
    private readonly FuzzTarget _target;
    private readonly Random _random;
    private readonly Dictionary<int, IReadOnlyList<string>> _wholeViews = [];

    /// <summary>Creates a fuzzer for <paramref name="target"/> with a fixed <paramref name="seed"/>.</summary>
    public DecoderFuzzer(FuzzTarget target, int seed)
    {
        _target = target;
        _random = new Random(seed);
    }

    /// <summary>Inputs tried so far.</summary>
    public long Inputs { get; private set; }

    /// <summary>The input being tried now (a watchdog prints it if the decoder hangs).</summary>
    public byte[] Current { get; private set; } = [];

    /// <summary>Tries <paramref name="count"/> inputs, or until <paramref name="stop"/>; returns the failures (at most <paramref name="maxFailures"/>).</summary>
    public IReadOnlyList<FuzzFailure> Run(long count, CancellationToken stop = default, int maxFailures = 20)
    {
        var failures = new List<FuzzFailure>();
        for (var i = 0L; i < count && !stop.IsCancellationRequested && failures.Count < maxFailures; i++)
        {
            if (TryOne() is { } failure)
            {
                failures.Add(failure);
            }
        }

        return failures;
    }

    /// <summary>Tries one input; a failure, or null.</summary>
    public FuzzFailure? TryOne()
    {
        Inputs++;
        var which = _random.Next(_target.Seeds.Count);
        var seed = _target.Seeds[which];
        var kind = _random.Next(10);
        var started = Stopwatch.GetTimestamp();
        var failure = kind switch
        {
            0 or 1 => Split(which, seed),
            2 when _target.Nasty is { } nasty => Hostile(nasty(_random)),
            _ => Hostile(Mutator.Mutate(seed, _random, _target.MaxPending)),
        };
        if (failure is null && Stopwatch.GetElapsedTime(started) > Slow)
        {
            failure = new FuzzFailure(_target.Name, Current, $"took {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        }

        return failure;
    }

    private FuzzFailure? Split(int which, byte[] seed)
    {
        Current = seed;
        if (!_wholeViews.TryGetValue(which, out var whole))
        {
            var (views, failure) = _target.Feed(seed, [seed.Length], thenFill: false);
            if (failure is not null || views is null)
            {
                return new FuzzFailure(_target.Name, seed, $"a valid stream was refused whole: {failure ?? "a protocol error"}");
            }

            _wholeViews[which] = whole = views;
        }

        var (split, splitFailure) = _target.Feed(seed, Chunks(seed.Length), thenFill: false);
        if (splitFailure is not null || split is null)
        {
            return new FuzzFailure(_target.Name, seed, $"a valid stream split at random points was refused: {splitFailure ?? "a protocol error"}");
        }

        return split.SequenceEqual(whole) ? null : new FuzzFailure(_target.Name, seed, $"split, it decoded as [{string.Join(" | ", split)}], whole as [{string.Join(" | ", whole)}]");
    }

    private FuzzFailure? Hostile(byte[] input)
    {
        Current = input;
        var (_, failure) = _target.Feed(input, Chunks(input.Length), thenFill: true);
        return failure is null ? null : new FuzzFailure(_target.Name, input, failure);
    }

    private List<int> Chunks(int length)
    {
        var chunks = new List<int>();
        var mode = _random.Next(4);
        for (var at = 0; at < length;)
        {
            var size = mode switch
            {
                0 => length - at,
                1 => 1,
                _ => Math.Min(length - at, _random.Next(1, Math.Max(2, length / 2))),
            };
            chunks.Add(size);
            at += size;
        }

        return chunks;
    }
}
