using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// What clients log about their connections, with the ids of <see cref="ClientEventIds"/>; source-generated, so a
/// disabled level costs one check. Only connection state changes are logged: never a request.
/// </summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = ClientEventIds.Connected, EventName = nameof(ClientEventIds.Connected), Level = LogLevel.Information, Message = "{Backend} client connected to {Server}")]
    public static partial void Connected(ILogger logger, string backend, string server);

    [LoggerMessage(EventId = ClientEventIds.Reconnected, EventName = nameof(ClientEventIds.Reconnected), Level = LogLevel.Information, Message = "{Backend} client reconnected to {Server}")]
    public static partial void Reconnected(ILogger logger, string backend, string server);

    [LoggerMessage(EventId = ClientEventIds.Disconnected, EventName = nameof(ClientEventIds.Disconnected), Message = "{Backend} client lost its connection to {Server}: {Reason}")]
    public static partial void Disconnected(ILogger logger, LogLevel level, string backend, string server, string reason);

    [LoggerMessage(EventId = ClientEventIds.ConnectFailed, EventName = nameof(ClientEventIds.ConnectFailed), Message = "{Backend} client could not connect to {Server}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, LogLevel level, string backend, string server, string reason);

    [LoggerMessage(EventId = ClientEventIds.ReconnectScheduled, EventName = nameof(ClientEventIds.ReconnectScheduled), Level = LogLevel.Debug, Message = "{Backend} client will try {Server} again in {DelayMilliseconds} ms (attempt {Attempt})")]
    public static partial void ReconnectScheduled(ILogger logger, string backend, string server, long delayMilliseconds, int attempt);

    [LoggerMessage(EventId = ClientEventIds.GaveUp, EventName = nameof(ClientEventIds.GaveUp), Level = LogLevel.Error, Message = "{Backend} client gave up reconnecting to {Server}: {Reason}")]
    public static partial void GaveUp(ILogger logger, string backend, string server, string reason);

    [LoggerMessage(EventId = ClientEventIds.Closed, EventName = nameof(ClientEventIds.Closed), Level = LogLevel.Debug, Message = "{Backend} client for {Server} closed")]
    public static partial void Closed(ILogger logger, string backend, string server);

    [LoggerMessage(EventId = ClientEventIds.PrimaryChanged, EventName = nameof(ClientEventIds.PrimaryChanged), Level = LogLevel.Information, Message = "{Backend} primary changed to {Detail} (reported by {Server})")]
    public static partial void PrimaryChanged(ILogger logger, string backend, string server, string? detail);

    [LoggerMessage(EventId = ClientEventIds.Resubscribed, EventName = nameof(ClientEventIds.Resubscribed), Level = LogLevel.Information, Message = "{Backend} client resubscribed on {Server}: {Detail}")]
    public static partial void Resubscribed(ILogger logger, string backend, string server, string? detail);

    [LoggerMessage(EventId = ClientEventIds.Recovered, EventName = nameof(ClientEventIds.Recovered), Level = LogLevel.Information, Message = "{Backend} client recovered on {Server}: {Detail}")]
    public static partial void Recovered(ILogger logger, string backend, string server, string? detail);

    [LoggerMessage(EventId = ClientEventIds.ProtocolViolation, EventName = nameof(ClientEventIds.ProtocolViolation), Level = LogLevel.Warning, Message = "{Backend} at {Server} sent bytes that break the protocol; the connection was closed")]
    public static partial void ProtocolViolation(ILogger logger, Exception error, string backend, string server);

    [LoggerMessage(EventId = ClientEventIds.ReadyHookFailed, EventName = nameof(ClientEventIds.ReadyHookFailed), Level = LogLevel.Error, Message = "The ready hook of the {Backend} client for {Server} failed")]
    public static partial void ReadyHookFailed(ILogger logger, Exception error, string backend, string server);
}
