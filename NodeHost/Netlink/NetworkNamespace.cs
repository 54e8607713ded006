using System.Runtime.InteropServices;

namespace OrleansWg.NodeHost.Netlink;

/// <summary>
/// Runs a short piece of work inside another network namespace. A thread, not a process, enters
/// a namespace, so the work runs on a new thread that enters it and then ends: no thread of the
/// pool ever finds itself in a container's namespace. Nothing here keeps the namespace open
/// after the work, so a container's namespace can go away when the container stops.
/// </summary>
public static class NetworkNamespace
{
    public static T Run<T>(string namespacePath, Func<T> work)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var target = OpenFile(namespacePath);
                try
                {
                    if (Libc.SetNamespace(target, Libc.NewNetworkNamespace) < 0)
                    {
                        throw new NetlinkException($"entering {namespacePath}", Marshal.GetLastPInvokeError());
                    }
                }
                finally
                {
                    Libc.Close(target);
                }

                // The thread ends after the work, so it never needs to go back to the node's namespace.
                result = work();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        })
        {
            IsBackground = true,
            Name = "netns",
        };
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw failure;
    }

    /// <summary>
    /// A descriptor of the namespace at <paramref name="namespacePath"/>, for a request that moves a
    /// link there. Close it (with <see cref="Close"/>) as soon as the request is answered.
    /// </summary>
    public static int OpenFile(string namespacePath)
    {
        var descriptor = Libc.Open(namespacePath, Libc.ReadOnlyCloseOnExec);
        return descriptor >= 0 ? descriptor : throw new NetlinkException($"opening {namespacePath}", Marshal.GetLastPInvokeError());
    }

    public static void Close(int descriptor) => Libc.Close(descriptor);
}
