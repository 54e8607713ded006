using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.Netlink;
using OrleansWg.NodeHost.WireGuard;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// The kernel's WireGuard against wireguard-go on one machine whose kernel has it (scripts/bench.sh
/// --guest runs it in the qemu guest), through the node's own container code and no control plane:
/// a peer added and removed as a convergence does it, both ways in turns on one container of each;
/// then for wireguard-go and after it for the kernel, what idle containers cost the machine (memory,
/// CPU, threads, inotify instances) at none and at <c>containers</c>, and the time to start them.
/// </summary>
public static class GuestBenchmarks
{
    /// <summary>
    /// Enough that a container's share stands out of the machine's noise, few enough that the
    /// emulated guest, which takes many seconds for each container's start, starts them twice
    /// within a few minutes.
    /// </summary>
    public const int DefaultContainers = 8;

    // One start for each of the guest's two vCPUs: more only queue, and under emulation a queued
    // start outlasts the Docker client's timeout.
    public const int StartConcurrency = 2;

    private const int PeerSamples = 300;
    private const int PeerBlocks = 10;
    private const int Warmup = 10;
    private static readonly TimeSpan StartWithin = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SettleWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleWithin = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The machine with <paramref name="Containers"/> idle containers, all but this benchmark's own
    /// process: CPU in cores over an idle window, memory once the page cache was dropped.
    /// </summary>
    /// <param name="MachineMiB">Memory in use: total less available.</param>
    /// <param name="MachineCores">Busy CPU, from /proc/stat.</param>
    /// <param name="CgroupsMiB">Charged to the containers' cgroups: their processes, page cache and the kernel's memory they asked for.</param>
    /// <param name="ProportionalMiB">Pss by process name: shared pages split between their processes, so that they add up.</param>
    public sealed record Level(
        int Containers, double MachineMiB, double MachineCores, double CgroupsMiB, double CgroupsCores,
        IReadOnlyDictionary<string, double> ProportionalMiB, IReadOnlyDictionary<string, double> Cores,
        IReadOnlyDictionary<string, double> Threads, IReadOnlyDictionary<string, double> InotifyInstances);

    /// <param name="StartAll">The time to start the full level's containers.</param>
    public sealed record Mode(WireGuardMode WireGuard, TimeSpan StartAll, Level Empty, Level Full)
    {
        /// <summary>What one container adds to a figure: its growth from the empty level to the full one, shared out.</summary>
        public double PerContainer(Func<Level, double> figure) => (figure(Full) - figure(Empty)) / Full.Containers;

        /// <summary>The same of each process name, the largest first.</summary>
        public IEnumerable<(string Name, double Value)> PerContainerByName(Func<Level, IReadOnlyDictionary<string, double>> figure) =>
            figure(Full).Keys.Union(figure(Empty).Keys)
                .Select(name => (name, PerContainer(level => figure(level).GetValueOrDefault(name))))
                .OrderByDescending(process => process.Item2);
    }

    /// <param name="Uapi">A peer added and removed on a wireguard-go container's interface through the node's backend.</param>
    /// <param name="Netlink">The same on a kernel interface through the node's backend, which opens a socket in the container's namespace for each change.</param>
    /// <param name="NetlinkOneSocket">The same over one netlink socket held open in the container's namespace.</param>
    public sealed record Figures(Latencies Uapi, Latencies Netlink, Latencies NetlinkOneSocket, Mode Userspace, Mode Kernel);

    public static async Task<Figures> RunAsync(int containers)
    {
        RawNode? userspace = null, kernel = null;
        try
        {
            userspace = await RawNode.CreateAsync(WireGuardMode.Userspace);
            kernel = await RawNode.CreateAsync(WireGuardMode.Kernel, "198.18.66.0/24", 53000);
            var (uapi, netlink, oneSocket) = await PeerChangesAsync(userspace, kernel);
            Console.WriteLine("wireguard-go:");
            var userspaceMode = await MeasureAsync(userspace, WireGuardMode.Userspace, containers);
            Console.WriteLine("the kernel's WireGuard:");
            var kernelMode = await MeasureAsync(kernel, WireGuardMode.Kernel, containers);
            return new Figures(uapi, netlink, oneSocket, userspaceMode, kernelMode);
        }
        finally
        {
            var removal = Stopwatch.StartNew();
            await Cleanups.RunAllAsync(new[] { userspace, kernel }.OfType<RawNode>().Select(node => (Func<Task>)(async () => await node.DisposeAsync())));
            Console.WriteLine($"the containers and networks removed in {removal.Elapsed.TotalSeconds:F0} s");
        }
    }

    /// <summary>
    /// A peer added and removed on a container of each node, the three ways in turns, a block of
    /// each at a time, so that whatever else the host does weighs on all three alike. The two
    /// containers go at the end.
    /// </summary>
    private static async Task<(Latencies Uapi, Latencies Netlink, Latencies NetlinkOneSocket)> PeerChangesAsync(RawNode userspace, RawNode kernel)
    {
        var (wireGuardGo, kernelContainer) = (await StartAsync(userspace, 1, "peers", 0), await StartAsync(kernel, 1, "peers", 0));
        var peer = WireGuardKey.CreatePair().PublicKey;
        var add = new WireGuardChanges().Peer(peer, "100.64.9.2/32");
        var remove = new WireGuardChanges().RemovePeer(peer);
        var netlink = WireGuardNetlink.Find() ?? throw new InvalidOperationException("the kernel's WireGuard is gone");
        var pid = (await Command.Run("docker", "inspect", "-f", "{{.State.Pid}}", kernelContainer[0].Id)).Trim();
        using var socket = NetlinkSocket.OpenIn($"/proc/{pid}/ns/net", NetlinkProtocol.Generic);
        Func<Task> Through(IContainerInterface device) => async () =>
        {
            await device.SetAsync(add, CancellationToken.None);
            await device.SetAsync(remove, CancellationToken.None);
        };
        var ways = new (string Name, Func<Task> Change)[]
        {
            ("add + remove a peer, UAPI to wireguard-go", Through(userspace.Containers.Interface(wireGuardGo[0]))),
            ("add + remove a peer, netlink, a socket in its namespace each time", Through(kernel.Containers.Interface(kernelContainer[0]))),
            ("add + remove a peer, netlink, one socket held open", () =>
            {
                netlink.Set(socket, "wg0", add);
                netlink.Set(socket, "wg0", remove);
                return Task.CompletedTask;
            }),
        };
        var blocks = ways.Select(_ => new List<Latencies>()).ToArray();
        for (var block = 0; block < PeerBlocks; block++)
        {
            for (var way = 0; way < ways.Length; way++)
            {
                blocks[way].Add(await Latencies.Measure(ways[way].Name, block == 0 ? Warmup : 0, PeerSamples / PeerBlocks, ways[way].Change));
            }
        }

        await RemoveAsync(userspace, wireGuardGo);
        await RemoveAsync(kernel, kernelContainer);
        var measured = ways.Select((way, i) => Latencies.Of(way.Name, [.. blocks[i]])).ToArray();
        return (measured[0], measured[1], measured[2]);
    }

    /// <summary>The node empty, then with its containers, which then go: the next mode's empty level has none of them.</summary>
    private static async Task<Mode> MeasureAsync(RawNode node, WireGuardMode wireGuard, int containers)
    {
        var empty = await MeasureLevelAsync([]);
        var clock = Stopwatch.StartNew();
        // Ports after the peers' container's: the kernel's socket on a removed container's port goes only with its namespace.
        var started = await StartAsync(node, containers, "idle", 1);
        var startAll = clock.Elapsed;
        Console.WriteLine($"  {containers} containers started in {startAll.TotalSeconds:F0} s");
        var full = await MeasureLevelAsync(started);
        await RemoveAsync(node, started);
        return new Mode(wireGuard, startAll, empty, full);
    }

    /// <summary>
    /// Starts containers through the node's code, on the node's ports from <paramref name="firstPort"/>
    /// on, each given a key and a peer as a user's container with a session has.
    /// </summary>
    private static async Task<List<SessionContainer>> StartAsync(RawNode node, int containers, string users, int firstPort)
    {
        using var deadline = new CancellationTokenSource(StartWithin);
        var started = new ConcurrentDictionary<int, SessionContainer>();
        var port = node.Options.PortMin + firstPort;
        await Parallel.ForEachAsync(Enumerable.Range(0, containers),
            new ParallelOptions { MaxDegreeOfParallelism = StartConcurrency, CancellationToken = deadline.Token }, async (i, token) =>
            {
                var container = await node.Containers.StartAsync($"{users}{i}", port + i, token);
                started[i] = container;
                await node.Containers.Interface(container).SetAsync(new WireGuardChanges()
                    .SetPrivateKey(WireGuardKey.CreatePair().PrivateKey)
                    .Peer(WireGuardKey.CreatePair().PublicKey, $"100.64.1.{i + 2}/32"), token);
            });
        return [.. started.OrderBy(entry => entry.Key).Select(entry => entry.Value)];
    }

    private static async Task RemoveAsync(RawNode node, IEnumerable<SessionContainer> containers) =>
        await Parallel.ForEachAsync(containers, new ParallelOptions { MaxDegreeOfParallelism = StartConcurrency },
            async (container, token) => await node.Containers.RemoveAsync(container, token));

    /// <summary>Once the machine settled: the CPU over an idle window, then the memory and what else host limits count.</summary>
    private static async Task<Level> MeasureLevelAsync(IReadOnlyList<SessionContainer> containers)
    {
        await ProcessCosts.MachineSettledAsync(SettleWindow, SettleWithin);
        var cgroups = await Task.WhenAll(containers.Select(container => ContainerCgroup.OfAsync(container.Id)));
        var before = (Machine: ProcessCosts.MachineCpuTime(), Others: ProcessCosts.OthersByName(ProcessCosts.OwnCpuSeconds),
            Own: ProcessCosts.OwnCpuSeconds(Environment.ProcessId), Cgroups: cgroups.Sum(cgroup => cgroup.CpuTime.TotalSeconds));
        var clock = Stopwatch.StartNew();
        await Task.Delay(IdleWindow);
        var after = (Machine: ProcessCosts.MachineCpuTime(), Others: ProcessCosts.OthersByName(ProcessCosts.OwnCpuSeconds),
            Own: ProcessCosts.OwnCpuSeconds(Environment.ProcessId), Cgroups: cgroups.Sum(cgroup => cgroup.CpuTime.TotalSeconds));
        var seconds = clock.Elapsed.TotalSeconds;
        // The benchmark's own runtime (its JIT's later tiers, its collections) is no container's; its
        // own time only, as the children it reaps in the window (docker inspect) ran before it.
        var machineBusy = after.Machine.Busy - before.Machine.Busy - TimeSpan.FromSeconds(after.Own - before.Own);
        var cores = after.Others.ToDictionary(process => process.Key, process => (process.Value - before.Others.GetValueOrDefault(process.Key)) / seconds);

        ForgetCaches();
        return new Level(containers.Count, ProcessCosts.MachineUsedMiB() - ProcessCosts.ResidentMiB(Environment.ProcessId),
            machineBusy / (after.Machine.Total - before.Machine.Total) * Environment.ProcessorCount,
            cgroups.Sum(cgroup => cgroup.MemoryMiB), (after.Cgroups - before.Cgroups) / seconds,
            ProcessCosts.OthersByName(ProcessCosts.ProportionalMiB), cores,
            ProcessCosts.OthersByName(ProcessCosts.Threads), ProcessCosts.OthersByName(ProcessCosts.InotifyInstances));
    }

    /// <summary>
    /// Drops the page cache and this process's garbage, which would otherwise move the memory in use
    /// by more than a few containers take: the guest is the benchmark's alone.
    /// </summary>
    private static void ForgetCaches()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        File.WriteAllText("/proc/sys/vm/drop_caches", "3");
    }
}
