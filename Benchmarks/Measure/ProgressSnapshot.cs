namespace ReactiveKv.Benchmarks.Measure;

/// <summary>Where a suite is, as the progress display shows it.</summary>
/// <param name="Case">The case running now; null before the first.</param>
/// <param name="CaseNumber">1 for the first case started, and so on.</param>
/// <param name="CaseCount">How many cases this run will start (the suite's cases that <c>--only</c> keeps).</param>
/// <param name="Phase">What the case is doing: <c>warm-up</c>, <c>round</c>, <c>redis-benchmark</c>, …</param>
/// <param name="Round">The round (1-based) of <see cref="Rounds"/>; 0 outside rounds.</param>
/// <param name="CaseLeft">The time the case still needs, as its loop last estimated it, less the time since.</param>
/// <param name="SuiteLeft">The time the suite still needs: this case's, plus the cases to come at the average so far.</param>
/// <param name="Elapsed">Since the progress was created.</param>
public sealed record ProgressSnapshot(string? Case, int CaseNumber, int CaseCount, string Phase, int Round, int Rounds, TimeSpan CaseLeft, TimeSpan SuiteLeft, TimeSpan Elapsed);
