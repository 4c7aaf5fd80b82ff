using System.Globalization;

namespace ReactiveKv;

/// <summary>A frame or line grew beyond the configured maximum; the connection is failed rather than buffering without bound.</summary>
public class FrameTooLargeException : ProtocolErrorException
{
    /// <summary>Creates the exception with a message.</summary>
    public FrameTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FrameTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The error for a size a peer announced that is over a limit, in the one form every decoder uses:
    /// "<paramref name="announced"/> exceeds <paramref name="limit"/> (<paramref name="limitValue"/>); <paramref name="raise"/>."
    /// so that whoever reads it knows which option to change, or that the limit is fixed.
    /// </summary>
    /// <param name="announced">What the peer announced, e.g. "A bulk string of 2147483647 bytes".</param>
    /// <param name="limit">The limit's name, e.g. "RespLimits.MaxBulkLength".</param>
    /// <param name="limitValue">The limit's value as text (see <see cref="Bytes"/>).</param>
    /// <param name="raise">How to raise it, e.g. "raise RedisOptions.Limits.MaxBulkLength to accept it".</param>
    public static FrameTooLargeException Exceeds(string announced, string limit, string limitValue, string raise) =>
        new($"{announced} exceeds {limit} ({limitValue}); {raise}.");

    /// <summary>A byte count as people read limits: "512 MiB", "64 KiB", or "202000 bytes" when not a whole KiB.</summary>
    public static string Bytes(long bytes) =>
        bytes > 0 && bytes % (1L << 30) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 30} GiB")
        : bytes > 0 && bytes % (1L << 20) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MiB")
        : bytes > 0 && bytes % (1L << 10) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 10} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
