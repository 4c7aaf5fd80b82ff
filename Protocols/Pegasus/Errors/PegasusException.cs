namespace ReactiveKv.Pegasus;

/// <summary>
/// A Pegasus operation failed: an rDSN error in the reply frame (<see cref="ErrorName"/>) or a RocksDB status in the
/// response (<see cref="Status"/>). The message names the table, operation, partition, server and key.
/// </summary>
public class PegasusException : RemoteErrorException
{
    /// <summary>Creates the exception.</summary>
    public PegasusException(string message, string errorName, RocksDbStatus? status = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorName = errorName;
        Status = status;
    }

    /// <summary>The rDSN error name, such as <c>ERR_INVALID_STATE</c>; <c>ERR_OK</c> when the failure is a RocksDB status.</summary>
    public string ErrorName { get; }

    /// <summary>The RocksDB status the server returned, when the frame itself was ERR_OK.</summary>
    public RocksDbStatus? Status { get; }
}
