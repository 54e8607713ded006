using static OrleansWg.Benchmarks.Report;

namespace OrleansWg.Benchmarks;

/// <summary>
/// bench.sh --guest: the kernel's WireGuard against wireguard-go, in an emulated guest whose CPUs
/// are many times slower than the host's: only the ratios of one run mean something.
/// </summary>
public static class GuestReport
{
    // The processes a container adds besides its own: its shim, and Docker's daemons.
    private const string Shim = "containerd-shim";
    private static readonly string[] Daemons = ["dockerd", "containerd"];

    public static async Task RunAsync(int containers)
    {
        var run = await GuestBenchmarks.RunAsync(containers);
        var peerChanges = new[] { run.Uapi, run.Netlink, run.NetlinkOneSocket };
        Console.WriteLine();
        foreach (var latencies in peerChanges)
        {
            Console.WriteLine(latencies);
        }

        Console.WriteLine();
        foreach (var latencies in peerChanges)
        {
            Ratio($"{latencies.Name}: p90", latencies.P90, "ms");
        }

        foreach (var (name, mode) in new[] { ("wireguard-go", run.Userspace), ("kernel", run.Kernel) })
        {
            Print(name, mode);
        }

        Console.WriteLine();
        Ratio("kernel / wireguard-go: add + remove a peer p50", run.Netlink.P50 / run.Uapi.P50, "x");
        Ratio("kernel / wireguard-go: add + remove a peer p90", run.Netlink.P90 / run.Uapi.P90, "x");
        Ratio("kernel, one socket held open / wireguard-go: add + remove a peer p50", run.NetlinkOneSocket.P50 / run.Uapi.P50, "x");
        Ratio("kernel, one socket held open / wireguard-go: add + remove a peer p90", run.NetlinkOneSocket.P90 / run.Uapi.P90, "x");
        Ratio($"kernel / wireguard-go: time to start {run.Kernel.Full.Containers} containers", run.Kernel.StartAll / run.Userspace.StartAll, "x");
        foreach (var (what, figure) in Compared)
        {
            Ratio($"kernel / wireguard-go: {what}", run.Kernel.PerContainer(figure) / run.Userspace.PerContainer(figure), "x");
        }
    }

    /// <summary>The figures per idle container that the two are compared by.</summary>
    private static readonly (string What, Func<GuestBenchmarks.Level, double> Figure)[] Compared =
    [
        ("machine memory per container", level => level.MachineMiB),
        ("memory per container in its cgroup and its shim", level => level.CgroupsMiB + level.ProportionalMiB.GetValueOrDefault(Shim)),
        ("machine CPU per idle container", level => level.MachineCores),
        ("CPU per idle container in its cgroup and its shim", level => level.CgroupsCores + level.Cores.GetValueOrDefault(Shim)),
        ("threads per container", level => level.Threads.Values.Sum()),
    ];

    private static void Print(string name, GuestBenchmarks.Mode mode)
    {
        var n = mode.Full.Containers;
        Console.WriteLine();
        Ratio($"{name}: {n} containers started, {GuestBenchmarks.StartConcurrency} at a time", mode.StartAll.TotalSeconds, "s");
        foreach (var level in new[] { mode.Empty, mode.Full })
        {
            Ratio($"{name}: {level.Containers} containers: machine memory in use", level.MachineMiB, "MiB");
            Ratio($"{name}: {level.Containers} containers: machine CPU while idle", level.MachineCores * 1000, "ms/s");
        }

        double Daemon(IReadOnlyDictionary<string, double> byName) => Daemons.Sum(daemon => byName.GetValueOrDefault(daemon));
        var machine = mode.PerContainer(level => level.MachineMiB);
        var cgroup = mode.PerContainer(level => level.CgroupsMiB);
        var shim = mode.PerContainer(level => level.ProportionalMiB.GetValueOrDefault(Shim));
        var daemons = mode.PerContainer(level => Daemon(level.ProportionalMiB));
        Ratio($"{name}: machine memory per container", machine, "MiB");
        Ratio($"{name}:   in its cgroup", cgroup, "MiB");
        Ratio($"{name}:     of it wireguard-go (Pss)", mode.PerContainer(level => level.ProportionalMiB.GetValueOrDefault("wireguard-go")), "MiB");
        Ratio($"{name}:   its containerd shim (Pss)", shim, "MiB");
        Ratio($"{name}:   dockerd and containerd (Pss)", daemons, "MiB");
        Ratio($"{name}:   the rest: the kernel's outside the cgroups, and noise", machine - cgroup - shim - daemons, "MiB");

        Ratio($"{name}: machine CPU per idle container", mode.PerContainer(level => level.MachineCores) * 1000, "ms/s");
        Ratio($"{name}:   in its cgroup", mode.PerContainer(level => level.CgroupsCores) * 1000, "ms/s");
        Ratio($"{name}:     of it wireguard-go", mode.PerContainer(level => level.Cores.GetValueOrDefault("wireguard-go")) * 1000, "ms/s");
        Ratio($"{name}:   its containerd shim", mode.PerContainer(level => level.Cores.GetValueOrDefault(Shim)) * 1000, "ms/s");
        Ratio($"{name}:   dockerd and containerd", mode.PerContainer(level => Daemon(level.Cores)) * 1000, "ms/s");
        foreach (var (process, cores) in mode.PerContainerByName(level => level.Cores).Take(4))
        {
            Ratio($"{name}:   most grown per container: {process} (all of that name)", cores * 1000, "ms/s");
        }

        Ratio($"{name}: threads per container", mode.PerContainer(level => level.Threads.Values.Sum()), "");
        foreach (var (process, threads) in mode.PerContainerByName(level => level.Threads).Where(process => process.Value >= 0.5))
        {
            Ratio($"{name}:   {process}", threads, "");
        }

        Ratio($"{name}: inotify instances per container", mode.PerContainer(level => level.InotifyInstances.Values.Sum()), "");
        foreach (var (process, instances) in mode.PerContainerByName(level => level.InotifyInstances).Where(process => process.Value >= 0.5))
        {
            Ratio($"{name}:   {process}", instances, "");
        }
    }
}
