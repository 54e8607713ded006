using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace OrleansWg.NodeHost.Netlink;

/// <summary>
/// Runs a short piece of work inside another network namespace. A thread, not a process, enters
/// a namespace, so the work runs on one thread kept for it: it enters the namespace, does the
/// work and goes back to the node's namespace before the next piece. No thread of the pool ever
/// finds itself in a container's namespace, and nothing here keeps a namespace open after the
/// work, so a container's namespace can go away when the container stops. Starting a thread for
/// each piece cost more than the work itself (see docs/benchmarks.md).
/// </summary>
public static class NetworkNamespace
{
    private static readonly Lock Starting = new();
    private static BlockingCollection<Action>? queue;

    /// <summary>
    /// Runs <paramref name="work"/> in the namespace at <paramref name="namespacePath"/> and returns
    /// its result, waiting for it. The work must be short and must not call <see cref="Run"/> itself:
    /// one thread does every namespace's work in turn.
    /// </summary>
    public static T Run<T>(string namespacePath, Func<T> work)
    {
        var done = new TaskCompletionSource<T>();
        void Piece()
        {
            try
            {
                done.SetResult(InNamespace(namespacePath, work));
            }
            catch (Exception failure)
            {
                done.SetException(failure);
            }
        }

        try
        {
            Queue().Add(Piece);
        }
        catch (InvalidOperationException)
        {
            // The worker was ending (see Work): the next one takes it.
            Queue().Add(Piece);
        }

        return done.Task.GetAwaiter().GetResult();
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

    /// <summary>The worker's queue, starting the worker when there is none (the first call, or after one could not go home).</summary>
    private static BlockingCollection<Action> Queue()
    {
        lock (Starting)
        {
            if (queue is { IsAddingCompleted: false } running)
            {
                return running;
            }

            // The node's namespace, which every piece returns to: the caller's, as no thread but the worker ever leaves it.
            var home = OpenFile("/proc/thread-self/ns/net");
            var started = new BlockingCollection<Action>();
            new Thread(() => Work(started, home)) { IsBackground = true, Name = "netns" }.Start();
            return queue = started;
        }
    }

    private static void Work(BlockingCollection<Action> pieces, int home)
    {
        foreach (var piece in pieces.GetConsumingEnumerable())
        {
            piece();
            if (Libc.SetNamespace(home, Libc.NewNetworkNamespace) < 0)
            {
                // Never seen. A thread in a namespace keeps it alive, so this worker takes no more work
                // and ends, letting go of it: what was queued still runs (each piece enters its own
                // namespace first), and the next call starts another worker.
                pieces.CompleteAdding();
                foreach (var stranded in pieces.GetConsumingEnumerable())
                {
                    stranded();
                }

                Libc.Close(home);
                return;
            }
        }
    }

    private static T InNamespace<T>(string namespacePath, Func<T> work)
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

        return work();
    }
}
