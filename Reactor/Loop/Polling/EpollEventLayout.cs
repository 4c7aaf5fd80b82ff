using System.Runtime.InteropServices;

namespace ReactiveKv;

/// <summary>
/// Where the fields of <c>struct epoll_event</c> sit for one architecture. The kernel packs it on x86-64 only, so the
/// size and the offset of the data field differ between x86-64 (12, 4) and arm64 (16, 8); the poller reads and writes
/// events through this rather than through one fixed struct.
/// </summary>
internal readonly record struct EpollEventLayout(int Size, int DataOffset)
{
    /// <summary>The x86-64 (and 32-bit x86) layout.</summary>
    public static EpollEventLayout Packed { get; } = Of<EpollNative.PackedEvent>();

    /// <summary>The naturally aligned layout of arm64 and the other ABIs.</summary>
    public static EpollEventLayout Aligned { get; } = Of<EpollNative.AlignedEvent>();

    /// <summary>The layout of the process this runs in.</summary>
    public static EpollEventLayout Current { get; } = For(RuntimeInformation.ProcessArchitecture);

    /// <summary>The layout the Linux headers give <paramref name="architecture"/>.</summary>
    public static EpollEventLayout For(Architecture architecture) =>
        architecture is Architecture.X64 or Architecture.X86 ? Packed : Aligned;

    /// <summary>Writes one event at the start of <paramref name="slot"/>.</summary>
    public void Write(Span<byte> slot, uint events, ulong data)
    {
        MemoryMarshal.Write(slot, in events);
        MemoryMarshal.Write(slot[DataOffset..], in data);
    }

    /// <summary>The event mask of the <paramref name="index"/>th event of an array.</summary>
    public uint EventsAt(ReadOnlySpan<byte> array, int index) => MemoryMarshal.Read<uint>(array[(index * Size)..]);

    /// <summary>The data of the <paramref name="index"/>th event of an array.</summary>
    public ulong DataAt(ReadOnlySpan<byte> array, int index) => MemoryMarshal.Read<ulong>(array[((index * Size) + DataOffset)..]);

    private static EpollEventLayout Of<T>()
        where T : struct =>
        new(Marshal.SizeOf<T>(), (int)Marshal.OffsetOf<T>(nameof(EpollNative.PackedEvent.Data)));
}
