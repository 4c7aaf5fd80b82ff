using ReactiveKv.Examples.Support;

namespace ReactiveKv.Examples.Reconnecting;

/// <summary>One thing that happened to a reconnecting client's connection.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Client">The protocol, for <see cref="ConnectionEventKind.Connected"/>.</param>
/// <param name="Reason">Why, for <see cref="ConnectionEventKind.Lost"/> and <see cref="ConnectionEventKind.Failed"/>.</param>
public sealed record ConnectionEvent(ConnectionEventKind Kind, LineClient? Client, Exception? Reason);
