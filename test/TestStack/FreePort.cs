using System.Net;
using System.Net.Sockets;

namespace OrleansWg.TestStack;

/// <summary>
/// TCP ports for the listeners of the test's own processes, from below the kernel's ephemeral range
/// (32768 and up): a port found free there could be taken by any process's outgoing connection
/// before the child process that was given it binds it (a silo's metrics listener failed so).
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Count = 12000;

    // Where each process starts at random, so that two test processes at once seldom meet.
    private static int next = Random.Shared.Next(Count);

    public static int Next()
    {
        for (var tried = 0; tried < Count; tried++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref next) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no TCP port is free in {First}-{First + Count - 1}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
