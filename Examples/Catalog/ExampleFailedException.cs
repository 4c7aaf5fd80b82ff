namespace ReactiveKv.Examples.Catalog;

/// <summary>An example's own check failed.</summary>
public sealed class ExampleFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExampleFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ExampleFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
