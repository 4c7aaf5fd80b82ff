namespace ReactiveKv.KyotoTycoon;

/// <summary>What a master sent a slave (spec §6).</summary>
internal enum ReplicationFrameKind
{
    /// <summary>The handshake's answer 0xB1: records follow.</summary>
    Accepted,

    /// <summary>Any other answer to the handshake (0xB1 is the only yes; ktserver says 0xBF): the master closes.</summary>
    Refused,

    /// <summary>A keep-alive (0xB0 + timestamp) the slave must acknowledge.</summary>
    NoOp,

    /// <summary>A log record (0xB1 + timestamp + sized message); an empty message is a dummy that only advances the timestamp.</summary>
    Record,
}
