namespace ReactiveKv.Examples.CommandLine;

/// <summary>The command line was wrong (exit code 2); the message says how.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message)
        : base(message)
    {
    }
}
