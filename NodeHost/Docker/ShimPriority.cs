using Microsoft.Extensions.Options;

namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// Moves each session container's containerd shim into a cpu cgroup marked idle
/// (<see cref="NodeOptions.ShimCgroup"/>). A shim only supervises its container, yet containerd
/// 1.6's forces a full collection every 30 s: at 1,000 containers a quarter of a core, in bursts
/// that the node's convergences and the users' wireguard-go queued behind. Any task outside an idle
/// cgroup that wakes preempts them at once. A container's start is made before its shim moves, so it
/// keeps its speed; stopping it goes through its shim, so on a machine busy to the last cycle it waits.
/// A <c>docker restart</c> there may find the stopped container's shim not yet gone and fail its
/// start; the node starts the container itself after <see cref="NodeOptions.StoppedContainerGrace"/>.
/// A host where the cgroup cannot be made (the node in a container, a kernel before 5.15) keeps the
/// shims as they are, which the log says once.
/// </summary>
public sealed class ShimPriority(IOptions<NodeOptions> options, ILogger<ShimPriority> logger)
{
    private const string ShimName = "containerd-shim";

    private readonly Lazy<string?> cgroup = new(() => Create(options.Value.ShimCgroup, logger));

    /// <summary>Whether the shims are moved: false where the cgroup could not be made, or none is set.</summary>
    public bool Enabled => cgroup.Value is not null;

    /// <summary>Moves the shim whose container's first process is <paramref name="containerPid"/> (a host pid) into the idle cgroup.</summary>
    public void Lower(long containerPid)
    {
        if (cgroup.Value is not { } directory)
        {
            return;
        }

        try
        {
            var shim = ParentOf(containerPid);
            if (File.ReadAllText($"/proc/{shim}/comm").StartsWith(ShimName, StringComparison.Ordinal))
            {
                File.WriteAllText(Path.Combine(directory, "cgroup.procs"), $"{shim}");
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            // The container ended meanwhile: its shim goes with it.
            logger.LogDebug(exception, "Could not lower the priority of the shim of process {Pid}", containerPid);
        }
    }

    /// <summary>The parent's pid, from /proc/PID/stat: "pid (comm) state ppid ...", where comm may hold spaces and parentheses.</summary>
    private static long ParentOf(long pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
    }

    private static string? Create(string name, ILogger logger)
    {
        if (name.Length == 0)
        {
            return null;
        }

        // cgroup v1 mounts the cpu controller as a hierarchy of its own; v2 has one for every controller.
        var root = File.Exists("/sys/fs/cgroup/cpu/cpu.shares") ? "/sys/fs/cgroup/cpu" : "/sys/fs/cgroup";
        var directory = Path.Combine(root, name);
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "cpu.idle"), "1");
            return directory;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("containerd's shims keep their CPU priority: cannot make {Cgroup} an idle cgroup ({Reason})", directory, exception.Message);
            return null;
        }
    }
}
