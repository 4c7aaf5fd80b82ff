using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ReactiveKv;

/// <summary>
/// Shuts down a socket's write half (a FIN) and nothing else. <see cref="Socket.Shutdown"/> would also mark the socket
/// disconnected, whatever half it shuts, and a reader that checks <see cref="Socket.Connected"/> before each read
/// (DotNetty's does) then takes that for the peer's end of stream: on Linux and macOS the system call is made directly.
/// </summary>
internal static partial class WriteHalf
{
    // SHUT_WR, on Linux and the BSDs alike.
    private const int ShutWrite = 1;

    /// <summary>Sends the FIN; reading goes on. Throws <see cref="SocketException"/> or <see cref="ObjectDisposedException"/>.</summary>
    public static void Shutdown(Socket socket)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            socket.Shutdown(SocketShutdown.Send);
            return;
        }

        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            if ((OperatingSystem.IsLinux() ? LinuxShutdown(fd, ShutWrite) : MacShutdown(fd, ShutWrite)) != 0)
            {
                // ENOTCONN on Linux and macOS: the peer reset the connection meanwhile.
                var errno = Marshal.GetLastPInvokeError();
                throw new SocketException((int)(errno is 107 or 57 ? SocketError.NotConnected : SocketError.SocketError));
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int LinuxShutdown(int socket, int how);

    [LibraryImport("libSystem.dylib", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int MacShutdown(int socket, int how);
}
