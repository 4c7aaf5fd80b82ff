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

    /// <summary>x86-64 packs <c>struct epoll_event</c> to 12 bytes; other architectures are not supported by this poller.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct Event
    {
        public uint Events;
        public ulong Data;
    }

    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create(int flags);

    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Control(int epoll, int operation, int fd, Event* change);

    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int Wait(int epoll, Event* events, int max, int timeoutMs);

    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nint count);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
