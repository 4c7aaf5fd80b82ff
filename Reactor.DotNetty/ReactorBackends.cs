namespace ReactiveKv.DotNetty;

/// <summary>The reactor backends by name, for <c>--reactor epoll|dotnetty</c> and the <c>REACTIVEKV_REACTOR</c> variable.</summary>
public static class ReactorBackends
{
    /// <summary>The environment variable that picks the reactor of test runs and of entry points given no <c>--reactor</c>.</summary>
    public const string EnvironmentVariable = "REACTIVEKV_REACTOR";

    /// <summary>Every backend's name; the first is the default.</summary>
    public static IReadOnlyList<string> Names { get; } = ["epoll", "dotnetty"];

    /// <summary>The backend named <paramref name="name"/>: null (the reactor's own) for "epoll" or "default", a new DotNetty backend for "dotnetty".</summary>
    /// <exception cref="ArgumentException">No backend has that name.</exception>
    public static ReactorBackend? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "epoll" or "default" => null,
        "dotnetty" => new DotNettyReactorBackend(),
        _ => throw new ArgumentException($"Unknown reactor '{name}': use {string.Join(" or ", Names)}.", nameof(name)),
    };

    /// <summary>The backend the <c>REACTIVEKV_REACTOR</c> environment variable names (the default when unset).</summary>
    public static ReactorBackend? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
}
