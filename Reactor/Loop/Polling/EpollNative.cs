using System.Runtime.InteropServices;

namespace ReactiveKv;

/// <summary>The few Linux calls a polling loop needs. glibc's soname, so that a missing or different libc fails the probe, not a call.</summary>
internal static unsafe partial class EpollNative
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;
    public const uint ReadHangUp = 0x2000;

    public const int CtlAdd = 1;
    public const int CtlDelete = 2;
    public const int CtlModify = 3;

    public const int CloseOnExec = 0x80000;
    public const int NonBlocking = 0x800;
    public const int Interrupted = 4;

    private const string Libc = "libc.so.6";

    /// <summary>
    /// <c>struct epoll_event</c> as x86-64 declares it, <c>__attribute__((packed))</c>: 12 bytes, the data at offset 4.
    /// 32-bit x86 lays the unpacked struct out the same way, because it aligns 64-bit fields to 4.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct PackedEvent
    {
        public uint Events;
        public ulong Data;
    }

    /// <summary><c>struct epoll_event</c> on arm64 and every other ABI that aligns 64-bit fields to 8: 16 bytes, the data at offset 8.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct AlignedEvent
    {
        public uint Events;
        public ulong Data;
    }

    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create(int flags);

    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Control(int epoll, int operation, int fd, byte* change);

    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int Wait(int epoll, byte* events, int max, int timeoutMs);

    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nint count);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
