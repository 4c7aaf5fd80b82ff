namespace ReactiveKv.Examples.CommandLine;

/// <summary>The command line's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>It worked.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed: refused, timed out, server error, a failed example.</summary>
    public const int Failed = 1;

    /// <summary>The command was wrong: bad arguments, bad URL, unknown verb, backend or example.</summary>
    public const int Usage = 2;
}
