using System.Diagnostics;

namespace ReactiveKv.Benchmarks.Measure;

/// <summary>
/// The suites' running position (case, round, time left), reported by the round loops and read by the live display
/// from its own thread; plain state with no output, so a run without a terminal pays only for a lock per round.
/// </summary>
public sealed class RunProgress(IReadOnlyList<string> cases)
{
    private readonly Lock _gate = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private string? _case;
    private int _caseNumber;
    private long _caseStarted;
    private TimeSpan _finishedCases;
    private string _phase = "";
    private int _round;
    private int _rounds;
    private TimeSpan _left;
    private long _leftAt;

    /// <summary>The cases this run will start, in order.</summary>
    public IReadOnlyList<string> Cases { get; } = cases;

    /// <summary>A case starts: the time since the previous one started counts towards the average case length.</summary>
    public void Case(string name)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (_case is not null)
            {
                _finishedCases += Stopwatch.GetElapsedTime(_caseStarted, now);
            }

            (_case, _caseNumber, _caseStarted) = (name, _caseNumber + 1, now);
            (_phase, _round, _rounds, _left, _leftAt) = ("starting", 0, 0, TimeSpan.Zero, now);
        }
    }

    /// <summary>
    /// The case's loop enters <paramref name="phase"/> (round <paramref name="round"/> of <paramref name="rounds"/>,
    /// 0 for a warm-up) and expects the case to need <paramref name="left"/> more.
    /// </summary>
    public void Step(string phase, int round, int rounds, TimeSpan left)
    {
        lock (_gate)
        {
            (_phase, _round, _rounds, _left, _leftAt) = (phase, round, rounds, left, Stopwatch.GetTimestamp());
        }
    }

    public ProgressSnapshot Snapshot()
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var caseLeft = _left - Stopwatch.GetElapsedTime(_leftAt, now);
            caseLeft = caseLeft > TimeSpan.Zero ? caseLeft : TimeSpan.Zero;

            // Cases to come are guessed at the finished cases' average, or before any has finished at this case's
            // length so far plus what it still needs: the suites' cases are alike in length (rounds × seconds).
            var thisCase = _case is null ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_caseStarted, now) + caseLeft;
            var finished = Math.Max(0, _caseNumber - 1);
            var perCase = finished > 0 ? _finishedCases / finished : thisCase;
            var toCome = Math.Max(0, Cases.Count - Math.Max(_caseNumber, 1));
            return new ProgressSnapshot(_case, _caseNumber, Math.Max(Cases.Count, _caseNumber), _phase, _round, _rounds, caseLeft, caseLeft + (perCase * toCome), Stopwatch.GetElapsedTime(_started, now));
        }
    }
}
