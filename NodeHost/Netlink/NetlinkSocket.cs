using System.Runtime.InteropServices;

namespace OrleansWg.NodeHost.Netlink;

/// <summary>
/// A netlink socket to the kernel, bound to one network namespace for its whole life: the one of
/// the thread that made it (<see cref="Open"/>) or a given one (<see cref="OpenIn"/>). Requests
/// are answered at once by the kernel, so they are plain blocking calls, each bounded by a
/// receive timeout. Not for use by two threads at once.
/// </summary>
public sealed unsafe class NetlinkSocket : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(5);
    private const int MaxDumpAttempts = 5;
    private const int MaxInterruptedReceives = 100;

    // Options of the netlink level: errors come without a copy of the request, with the kernel's
    // explanation, and requests are checked strictly.
    private const int CappedAcknowledgements = 10;
    private const int ExtendedAcknowledgements = 11;
    private const int StrictChecking = 12;

    private readonly int descriptor;
    private readonly byte[] received = new byte[64 * 1024];
    private uint sequence;
    private bool disposed;

    private NetlinkSocket(int descriptor) => this.descriptor = descriptor;

    /// <summary>A socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open(NetlinkProtocol protocol)
    {
        var descriptor = Libc.Socket(Libc.NetlinkFamily, Libc.RawSocket | Libc.CloseOnExec, (int)protocol);
        if (descriptor < 0)
        {
            throw LastError("socket");
        }

        try
        {
            var one = 1;
            foreach (var option in new[] { CappedAcknowledgements, ExtendedAcknowledgements, StrictChecking })
            {
                // Older kernels lack some of these; the socket works without them.
                Libc.SetSocketOption(descriptor, Libc.SolNetlink, option, &one, sizeof(int));
            }

            var timeout = stackalloc long[] { (long)ReceiveTimeout.TotalSeconds, 0 };
            Check(Libc.SetSocketOption(descriptor, Libc.SolSocket, Libc.ReceiveTimeoutOption, timeout, 2 * sizeof(long)), "setsockopt");

            // sockaddr_nl: the family, padding, port id 0 (the kernel picks one), no groups.
            var address = stackalloc byte[12];
            new Span<byte>(address, 12).Clear();
            *(ushort*)address = Libc.NetlinkFamily;
            Check(Libc.Bind(descriptor, address, 12), "bind");
            return new NetlinkSocket(descriptor);
        }
        catch
        {
            Libc.Close(descriptor);
            throw;
        }
    }

    /// <summary>
    /// A socket in the network namespace at <paramref name="namespacePath"/> (a container's
    /// /proc/PID/ns/net, or /run/netns/NAME): made on a thread of its own that enters the
    /// namespace and ends after, so no other work ever runs in the wrong namespace. The socket
    /// keeps that namespace alive while it is open: dispose of it when the work is done.
    /// </summary>
    public static NetlinkSocket OpenIn(string namespacePath, NetlinkProtocol protocol) =>
        NetworkNamespace.Run(namespacePath, () => Open(protocol));

    /// <summary>
    /// Sends a request and returns what the kernel answered: for a dump, every message until its
    /// end (made again when the kernel says the objects changed meanwhile); otherwise the answers
    /// before the acknowledgement. A refusal throws a <see cref="NetlinkException"/>.
    /// </summary>
    /// <param name="operation">What the request does, for the error's message.</param>
    public List<NetlinkReply> Exchange(NetlinkMessage request, string operation)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var dump = (request.Flags & NetlinkFlags.Dump) == NetlinkFlags.Dump;
        for (var attempt = 1; ; attempt++)
        {
            var replies = ExchangeOnce(request, dump, operation);
            if (!replies.Any(reply => (reply.Flags & NetlinkFlags.DumpInterrupted) != 0) || attempt == MaxDumpAttempts)
            {
                return replies;
            }
        }
    }

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            Libc.Close(descriptor);
        }
    }

    private List<NetlinkReply> ExchangeOnce(NetlinkMessage request, bool dump, string operation)
    {
        var number = ++sequence;
        var message = request.Complete(number);
        fixed (byte* bytes = message)
        {
            if (Libc.Send(descriptor, bytes, message.Length, 0) != message.Length)
            {
                throw LastError(operation);
            }
        }

        var answers = new List<NetlinkReply>();
        for (var interrupted = 0; ;)
        {
            nint length;
            fixed (byte* buffer = received)
            {
                length = Libc.Receive(descriptor, buffer, received.Length, 0);
            }

            if (length < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == (int)Errno.Interrupted && ++interrupted < MaxInterruptedReceives)
                {
                    continue;
                }

                throw error == (int)Errno.WouldBlock
                    ? new TimeoutException($"{operation}: the kernel did not answer within {ReceiveTimeout.TotalSeconds} s")
                    : new NetlinkException(operation, error);
            }

            foreach (var reply in NetlinkReply.Split(received.AsSpan(0, (int)length), number))
            {
                if (reply.Type == NetlinkFlags.ErrorType)
                {
                    var (error, kernelMessage) = reply.AsError();
                    return error == 0 ? answers : throw new NetlinkException(operation, error, kernelMessage);
                }

                if (reply.Type == NetlinkFlags.DoneType && dump)
                {
                    var error = reply.Payload.Length >= 4 ? -MemoryMarshal.Read<int>(reply.Payload) : 0;
                    return error == 0 ? answers : throw new NetlinkException(operation, error);
                }

                answers.Add(reply);
            }
        }
    }

    private static void Check(int result, string call)
    {
        if (result < 0)
        {
            throw LastError(call);
        }
    }

    private static NetlinkException LastError(string operation) => new(operation, Marshal.GetLastPInvokeError());
}
