using System.Runtime.InteropServices;

namespace OrleansWg.NodeHost.Netlink;

/// <summary>
/// The few C library calls a netlink socket needs. .NET's <see cref="System.Net.Sockets.Socket"/>
/// refuses the netlink address family, so the socket is made, bound and used through these.
/// </summary>
internal static unsafe partial class Libc
{
    public const int NetlinkFamily = 16;
    public const int RawSocket = 3;
    public const int CloseOnExec = 0x80000;
    public const int SolSocket = 1;
    public const int ReceiveTimeoutOption = 20;
    public const int SolNetlink = 270;
    public const int NewNetworkNamespace = 0x40000000;
    public const int ReadOnlyCloseOnExec = 0x80000;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int socket, byte* address, int addressLength);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSocketOption(int socket, int level, int name, void* value, int valueLength);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int socket, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(int socket, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNamespace(int descriptor, int namespaceType);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);
}
