namespace ReactiveKv.Examples.Catalog;

/// <summary>One runnable example.</summary>
public interface IExample
{
    /// <summary>The name on the command line.</summary>
    string Name { get; }

    /// <summary>One line for <c>list</c>.</summary>
    string Description { get; }

    /// <summary>
    /// True when it needs a server this program does not start; <c>all</c> skips those, except the Redis and RabbitMQ examples
    /// when their server answers.
    /// </summary>
    bool NeedsExternalServer { get; }

    /// <summary>
    /// Runs the example, narrating to <paramref name="output"/>. Returns 0 when it worked; a failed check throws
    /// <see cref="ExampleFailedException"/>.
    /// </summary>
    Task<int> RunAsync(ExampleArgs args, TextWriter output, CancellationToken cancellationToken);
}
