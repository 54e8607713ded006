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
        new("fs/inotify/max_user_instances", containers => containers + 128, "every container's wireguard-go takes an inotify instance, all of them as root"),
        new("kernel/pid_max", containers => 32L * containers + 4_096, "a container runs some 25 threads"),
        new("net/core/netdev_max_backlog", containers => 2L * containers,
            "an ARP request to a container is copied to every port of the node's bridge at once, into one CPU's backlog"),
        new("net/ipv4/neigh/default/gc_thresh3", containers => 2L * containers, "the host keeps a neighbour entry for each container its clients reach"),
    ];

    /// <summary>The containers a node may run: a user's container for each session at most, up to what one network holds, and its warm pool.</summary>
    public static int Containers(NodeOptions node) => Math.Min(node.Capacity, SessionContainers.MaxPerNetwork) + node.WarmPoolMax;

    /// <param name="read">A setting's value, by its path under /proc/sys; null when it cannot be read (it is then not checked).</param>
    /// <returns>A line for each setting lower than <paramref name="containers"/> containers need.</returns>
    public static IEnumerable<string> Shortfalls(int containers, Func<string, long?> read) =>
        from limit in Limits
        let value = read(limit.Path)
        let needed = limit.Needed(containers)
        where value < needed
        select $"{limit.Path.Replace('/', '.')} is {value}, less than the {needed} that {containers} containers need: {limit.Why}";

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

    private sealed record Limit(string Path, Func<int, long> Needed, string Why);
}
