using ReactiveKv.DotNetty;

namespace ReactiveKv.Tests.Support;

/// <summary>
/// Which reactor a test runs on, Twisted's ReactorBuilder: a shared suite is written once and run on each backend,
/// either as a theory over <see cref="Kinds"/> (the reactor is in the test's name) or, for whole suites, picked by the
/// <c>REACTIVEKV_REACTOR</c> environment variable (epoll when unset), which <see cref="ReactorFixture"/> honours.
/// </summary>
internal static class TestReactors
{
    /// <summary>The reactor the environment picks for this run: "epoll" (the default) or "dotnetty".</summary>
    public static string FromEnvironment => Environment.GetEnvironmentVariable(ReactorBackends.EnvironmentVariable) is { Length: > 0 } name
        ? name.Trim().ToLowerInvariant()
        : "epoll";

    /// <summary>Every reactor, for <c>[MemberData]</c> theories.</summary>
    public static TheoryData<string> Kinds => [.. ReactorBackends.Names];

    /// <summary>
    /// <paramref name="options"/> on the reactor named <paramref name="kind"/> (null: the environment's). Options that
    /// already name a backend keep it.
    /// </summary>
    public static ReactorOptions On(string? kind, ReactorOptions? options = null)
    {
        options ??= new ReactorOptions { LoopCount = 2 };
        return options.Backend is not null ? options : options with { Backend = ReactorBackends.Parse(kind ?? FromEnvironment) };
    }
}
