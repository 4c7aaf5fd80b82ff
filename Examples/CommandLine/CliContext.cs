using ReactiveKv.Examples.Backends;

namespace ReactiveKv.Examples.CommandLine;

/// <summary>What every command writes to and draws on.</summary>
internal sealed record CliContext(TextWriter Stdout, TextWriter Stderr, BackendRegistry Backends);
