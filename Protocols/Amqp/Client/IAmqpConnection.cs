namespace ReactiveKv.Amqp;

/// <summary>
/// What an AMQP 0-9-1 connection does, for code that should not depend on <see cref="AmqpConnection"/> (and for fakes
/// in its tests): its state and events, and channels (<see cref="IAmqpChannel"/>), where the operations are.
/// </summary>
public interface IAmqpConnection : IConnectableClient
{
    /// <summary>The options it was made with.</summary>
    AmqpOptions Options { get; }

    /// <summary>True while a connection is open and recovered.</summary>
    bool IsConnected { get; }

    /// <summary>The broker's reason while it blocks publishing (<c>connection.blocked</c>, a resource alarm); null otherwise.</summary>
    string? BlockedReason { get; }

    /// <summary>Each change of the blocked state: the reason, or null when unblocked; hot, starts with the current state.</summary>
    IObservable<string?> BlockedChanges { get; }

    /// <summary>Every step of every recovery (loss, reconnect, renamed queues, recovered consumers, failures); hot.</summary>
    IObservable<AmqpRecoveryEvent> Recoveries { get; }

    /// <summary>
    /// Runs on every reconnect after the recorded topology is declared again, before consumers consume again and
    /// before waiting operations go out: declare here what was not declared through this connection (it is not
    /// recorded, so recovery does not declare it twice). Operations on the given channel run at once.
    /// </summary>
    Func<AmqpChannel, Task>? RecoverySetup { get; set; }

    /// <summary>What the broker said about itself (product, version, capabilities) on the current connection.</summary>
    FieldTable? ServerProperties { get; }

    /// <summary>A new channel; it opens on first use. With <paramref name="confirms"/>, every publish is confirmed.</summary>
    /// <param name="confirms">Whether the channel runs in confirm mode.</param>
    IAmqpChannel CreateChannel(bool confirms = false);
}
