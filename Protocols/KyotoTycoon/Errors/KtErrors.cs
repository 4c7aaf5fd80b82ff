namespace ReactiveKv.KyotoTycoon;

/// <summary>Where the Kyoto Tycoon client's connection and timeout errors are built.</summary>
internal static class KtErrors
{
    public static readonly ClientErrors Instance = new("Kyoto Tycoon", "ktserver");
}
