using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// The kernel settings a node with many containers needs (docs/operations.md, "Sizing a node"), checked
/// against the containers this node may run: one set too low fails users' containers or tunnels
/// only once the node is full, long after it started, so the node says so when it starts.
/// </summary>
public static class HostLimits
{
    private static readonly Limit[] Limits =
    [
        new("fs/inotify/max_user_instances",
            load => load.InotifyInstancesEach * (long)load.Containers + 128,
            load => load.Mode == WireGuardMode.Userspace
                ? "every container's wireguard-go takes an inotify instance, all of them as root" + (load.CgroupV2 ? ", and its containerd shim one more on cgroup v2" : "")
                : "every container's containerd shim takes an inotify instance on cgroup v2, all of them as root"),
        new("kernel/pid_max",
            load => (load.Mode == WireGuardMode.Userspace ? 32L : 20L) * load.Containers + 4_096,
            load => load.Mode == WireGuardMode.Userspace
                ? "a container runs some 25 threads (wireguard-go's and its shim's)"
                : "a container runs some 15 threads (its shim's and its interface's kernel worker)"),
        new("net/core/netdev_max_backlog", load => 2L * load.Containers,
            _ => "an ARP request to a container is copied to every port of the node's bridge at once, into one CPU's backlog"),
        new("net/ipv4/neigh/default/gc_thresh3", load => 2L * load.Containers,
            _ => "the host keeps a neighbour entry for each container its clients reach"),
    ];

    /// <summary>The containers a node may run: a user's container for each session at most, up to what one network holds, and its warm pool.</summary>
    public static int Containers(NodeOptions node) => Math.Min(node.Capacity, SessionContainers.MaxPerNetwork) + node.WarmPoolMax;

    /// <summary>Whether this host runs cgroup v2, where each containerd shim watches its cgroup with inotify.</summary>
    public static bool HostHasCgroupV2() => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    /// <param name="read">A setting's value, by its path under /proc/sys; null when it cannot be read (it is then not checked).</param>
    /// <returns>A line for each setting lower than the node's containers need.</returns>
    public static IEnumerable<string> Shortfalls(ContainerLoad load, Func<string, long?> read) =>
        from limit in Limits
        let value = read(limit.Path)
        let needed = limit.Needed(load)
        where value < needed
        select $"{limit.Path.Replace('/', '.')} is {value}, less than the {needed} that {load.Containers} containers need: {limit.Why(load)}";

    public static long? ReadProcSys(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(Path.Combine("/proc/sys", path)).Split('\t', ' ')[0], out var value) ? value : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record Limit(string Path, Func<ContainerLoad, long> Needed, Func<ContainerLoad, string> Why);
}
