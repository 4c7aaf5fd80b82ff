namespace ReactiveKv.Amqp;

/// <summary>
/// The server answered the protocol header with its own (spec §4.2.2): it does not speak 0-9-1 and will close the
/// socket. The version it offered is kept so the error can say what it wanted.
/// </summary>
public sealed class AmqpVersionMismatchException : ProtocolErrorException
{
    /// <summary>Creates the exception from the four version octets that followed "AMQP".</summary>
    public AmqpVersionMismatchException(byte protocolId, byte major, byte minor, byte revision)
        : base($"The server does not speak AMQP 0-9-1; it offered protocol {protocolId} version {major}-{minor}-{revision}.")
    {
        ProtocolId = protocolId;
        Major = major;
        Minor = minor;
        Revision = revision;
    }

    /// <summary>The protocol id octet (0 for AMQP 0-9-1 and 0-10, 1 for old 0-8/0-9 brokers' "AMQP\x01\x01").</summary>
    public byte ProtocolId { get; }

    /// <summary>The major version the server offered.</summary>
    public byte Major { get; }

    /// <summary>The minor version the server offered.</summary>
    public byte Minor { get; }

    /// <summary>The revision the server offered.</summary>
    public byte Revision { get; }
}
