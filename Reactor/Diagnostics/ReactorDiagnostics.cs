using System.Diagnostics.Metrics;

namespace ReactiveKv;

/// <summary>
/// The reactor's counters, published through System.Diagnostics.Metrics under the meter <see cref="MeterName"/>
/// (read them with dotnet-counters, OpenTelemetry or a <see cref="MeterListener"/>).
/// </summary>
public static class ReactorDiagnostics
{
    /// <summary>Name of the meter that carries every reactor instrument.</summary>
    public const string MeterName = "ReactiveKv.Reactor";

    // Striped by thread, each stripe on a cache line of its own: every flush and send of every loop adds to it, and
    // one shared counter would bounce between the cores of all the loops. The gauge sums the stripes.
    private const int Stripes = 16;
    private const int StripeSpacing = 16; // longs: 128 bytes
    private static readonly long[] s_pendingWriteBytes = new long[Stripes * StripeSpacing];

    internal static readonly Meter Meter = new(MeterName);

    /// <summary>Open connections (client and server).</summary>
    internal static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>("reactivekv.connections", "{connection}", "Open connections");

    /// <summary>Bytes read from the network.</summary>
    internal static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>("reactivekv.bytes_received", "By", "Bytes read from sockets");

    /// <summary>Bytes written to the network.</summary>
    internal static readonly Counter<long> BytesSent = Meter.CreateCounter<long>("reactivekv.bytes_sent", "By", "Bytes written to sockets");

    /// <summary>Callbacks that threw on a loop thread.</summary>
    internal static readonly Counter<long> UnhandledErrors = Meter.CreateCounter<long>("reactivekv.unhandled_errors", "{error}", "Exceptions escaping reactor callbacks");

    static ReactorDiagnostics()
    {
        Meter.CreateObservableGauge("reactivekv.pending_write_bytes", () => PendingWriteBytes, "By", "Bytes written by protocols and not yet sent");
    }

    /// <summary>Bytes accepted by transports and not yet handed to the kernel, over all connections.</summary>
    public static long PendingWriteBytes
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < Stripes; i++)
            {
                sum += Volatile.Read(ref s_pendingWriteBytes[i * StripeSpacing]);
            }

            return sum;
        }
    }

    internal static void AddPendingWriteBytes(long delta) =>
        Interlocked.Add(ref s_pendingWriteBytes[(Environment.CurrentManagedThreadId & (Stripes - 1)) * StripeSpacing], delta);
}
