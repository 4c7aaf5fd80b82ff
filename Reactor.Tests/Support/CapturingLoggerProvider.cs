using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ReactiveKv.Tests.Support;

/// <summary>Keeps every log entry of every logger of a factory: level, category, event id and the formatted line with its exception.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Each entry as one line: level, category, event, message, exception (with its inner ones and stack).</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.ToString())];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    internal sealed record Entry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}[{EventId.Id} {EventId.Name}]: {Message} {Exception}";
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new Entry(logLevel, category, eventId, $"{formatter(state, exception)} {state}", exception));
    }
}
