using System.Runtime.InteropServices;

namespace OrleansWg.Benchmarks;

/// <summary>
/// One machine cut in two, as production runs a node on a machine of its own: the given processes
/// (the control plane and this load generator) on the first core, every other thread of the machine
/// (the node: NodeHost, dockerd, containerd and its shims, the containers; the VM's own daemons) on
/// the others. Threads and processes made meanwhile inherit their maker's cores. Disposing it, or
/// stopping the process with Ctrl-C or SIGTERM, gives every thread it moved back the cores it had,
/// and every thread made meanwhile those its process, or the nearest process above it, had.
/// </summary>
public sealed partial class CpuSplit : IDisposable
{
    private const ulong FirstCore = 1;
    private const int MostAncestors = 64;
    private readonly Dictionary<int, ulong> coresBefore = [];
    private readonly PosixSignalRegistration[] undoOnStop;
    private bool undone;

    private CpuSplit()
    {
        // The machine's daemons would otherwise stay on one core after this process.
        undoOnStop = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, _ => Undo()))];
    }

    public static CpuSplit Apply(IEnumerable<int> firstCoreProcesses)
    {
        if (Environment.ProcessorCount is < 2 or > 64)
        {
            throw new InvalidOperationException($"A split needs 2 to 64 cores; this machine has {Environment.ProcessorCount}.");
        }

        var firstCore = firstCoreProcesses.ToHashSet();
        var otherCores = ((1UL << Environment.ProcessorCount) - 1) & ~FirstCore;
        var split = new CpuSplit();
        foreach (var pid in Processes())
        {
            foreach (var thread in Threads(pid))
            {
                split.Move(thread, firstCore.Contains(pid) ? FirstCore : otherCores);
            }
        }

        return split;
    }

    public void Dispose()
    {
        foreach (var registration in undoOnStop)
        {
            registration.Dispose();
        }

        Undo();
    }

    private void Undo()
    {
        // A signal's handler runs on a thread of its own, maybe while the split is still made.
        lock (coresBefore)
        {
            undone = true;
            foreach (var pid in Processes())
            {
                foreach (var thread in Threads(pid))
                {
                    var before = coresBefore.TryGetValue(thread, out var own) ? own : CoresBeforeAbove(pid);
                    if (before is { } cores && sched_getaffinity(thread, sizeof(ulong), out var now) == 0 && now != cores)
                    {
                        // A thread that ended since is no longer there to move back.
                        _ = sched_setaffinity(thread, sizeof(ulong), ref cores);
                    }
                }
            }
        }
    }

    /// <summary>The cores the nearest process at or above <paramref name="pid"/> that the split moved had before it; null when none.</summary>
    private ulong? CoresBeforeAbove(int pid)
    {
        for (var (process, depth) = (pid, 0); process > 0 && depth < MostAncestors; (process, depth) = (ParentOf(process), depth + 1))
        {
            if (coresBefore.TryGetValue(process, out var cores))
            {
                return cores;
            }
        }

        return null;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            return int.Parse(ProcessCosts.FieldsAfterName(File.ReadAllText($"/proc/{pid}/stat"))[1]);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static IEnumerable<int> Processes() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(name => name!.All(char.IsAsciiDigit)).Select(name => int.Parse(name!));

    /// <summary>Moves a thread unless it is gone or may not move (a kernel thread bound to its core), or the split was undone.</summary>
    private void Move(int thread, ulong cores)
    {
        lock (coresBefore)
        {
            if (!undone && sched_getaffinity(thread, sizeof(ulong), out var before) == 0 && sched_setaffinity(thread, sizeof(ulong), ref cores) == 0)
            {
                coresBefore[thread] = before;
            }
        }
    }

    private static IEnumerable<int> Threads(int pid)
    {
        try
        {
            return [.. Directory.EnumerateDirectories($"/proc/{pid}/task").Select(task => int.Parse(Path.GetFileName(task)))];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nint size, ref ulong mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nint size, out ulong mask);
}
