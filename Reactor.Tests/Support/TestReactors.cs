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
    /// <paramref name="options"/> on the reactor named <paramref name="kind"/>; with no kind, options keep their backend,
    /// which is the environment's unless they name another (<see cref="Install"/> made it the default).
    /// </summary>
    public static ReactorOptions On(string? kind, ReactorOptions? options = null)
    {
        options ??= new ReactorOptions { LoopCount = 2 };
        return kind is null ? options : options with { Backend = ReactorBackends.Parse(kind) };
    }

    /// <summary>
    /// Installs the environment's reactor as the default of every <see cref="ReactorOptions"/> built in this test run, so
    /// the whole suite (reactors made directly, and by fixtures) runs on it; theories over <see cref="Kinds"/> still
    /// name theirs.
    /// </summary>
#pragma warning disable CA2255 // A test assembly's own process-wide setting, before any test builds a reactor.
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() => ReactorBackend.Default = ReactorBackends.Parse(FromEnvironment);
}
