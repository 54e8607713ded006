using static OrleansWg.Benchmarks.Report;

namespace OrleansWg.Benchmarks;

/// <summary>bench.sh --scale [node|control-plane]: a node with a thousand users' containers, and the control plane with 100,000 sessions.</summary>
public static class ScaleReport
{
    public static async Task RunAsync(string? part)
    {
        if (part is null or "node")
        {
            PrintNode(await NodeScaleBenchmarks.RunAsync());
        }

        if (part is null or "control-plane")
        {
            // Each run is printed as it ends: one takes a quarter of an hour or more.
            PrintControlPlane(await ControlPlaneScaleBenchmarks.RunAsync(silos: 1));
            PrintControlPlane(await ControlPlaneScaleBenchmarks.RunAsync(silos: 3));
        }
    }

    private static void PrintNode(NodeScaleBenchmarks.Figures node)
    {
        Console.WriteLine();
        foreach (var level in node.Levels)
        {
            Console.WriteLine(level.Connect);
            Console.WriteLine(level.RefusedLogin);
            Console.WriteLine(level.SplitConnect);
            Console.WriteLine(level.SplitRefusedLogin);
        }

        Console.WriteLine(node.Reconnect);
        Console.WriteLine(node.WarmPath);
        Console.WriteLine();
        foreach (var level in node.Levels)
        {
            Ratio($"{level.Containers} containers: the node's convergence of a connect's or disconnect's change", level.Parts.NodeChangeMs, "ms");
            Ratio($"{level.Containers} containers:   of it, the wait for the convergence lock", level.Parts.NodeWaitMs, "ms");
            Ratio($"{level.Containers} containers: the silo's write of a container shard", level.Parts.ShardWriteMs, "ms");
            Ratio($"{level.Containers} containers: the node's reconcile (every 30 s; pushes take the lock between its slices of 64 users)", level.Parts.NodeReconcileMs, "ms");
            Ratio($"{level.Containers} containers: NodeHost CPU per heartbeat", level.NodeCpuPerHeartbeat.TotalMilliseconds, "ms");
            Ratio($"{level.Containers} containers: dockerd CPU per heartbeat", level.DockerdCpuPerHeartbeat.TotalMilliseconds, "ms");
            Ratio($"{level.Containers} containers: the machine's cores busy while quiet", level.MachineCpuBusy * 100, "%");
            Ratio($"{level.Containers} containers: NodeHost resident memory", level.NodeHostMiB, "MiB");
            Ratio($"{level.Containers} containers: machine memory in use", level.MachineMiB, "MiB");
            Ratio($"{level.Containers} containers: a new client's handshake and ping (1 = yes)", level.Handshake ? 1 : 0, "");
        }

        foreach (var (name, share) in node.Levels[^1].BusiestWhileQuiet)
        {
            Ratio($"{node.Levels[^1].Containers} containers, quiet: the machine's cores busy with {name} (all of that name)", share * 100, "%");
        }

        var (empty, full) = (node.Levels[0], node.Levels[^1]);
        Ratio($"connect p50, {full.Containers:N0} containers / none, the node on a core of its own (target <= 1.2 at 1,000)",
            full.SplitConnect.P50 / empty.SplitConnect.P50, "x");
        Ratio("  refused login p50 the same way (the control plane's core, no node in it)", full.SplitRefusedLogin.P50 / empty.SplitRefusedLogin.P50, "x");
        Ratio($"connect p50, {full.Containers:N0} containers / none, every process on every core (the whole stack on one machine)",
            full.Connect.P50 / empty.Connect.P50, "x");
        Ratio("  refused login p50 the same way (the machine's load alone)", full.RefusedLogin.P50 / empty.RefusedLogin.P50, "x");
        Ratio("  the one over the other (the node's part, the machine's load taken out)",
            full.Connect.P50 / empty.Connect.P50 / (full.RefusedLogin.P50 / empty.RefusedLogin.P50), "x");
        Ratio("machine memory per container", node.MiBPerContainer, "MiB");
        Ratio("  wireguard-go resident memory, average", node.WireGuardMiB, "MiB");
        Ratio("  containerd-shim resident memory, average", node.ShimMiB, "MiB");
        Ratio($"time to start the {node.Levels[^1].Containers:N0} (connects at concurrency 16)", node.StartAll.TotalSeconds, "s");
        Ratio("raw container starts at concurrency 16", node.RawStartsPerSecond, "starts/s");
        Ratio("new users' connects at concurrency 16", node.NewUsersPerSecond, "connects/s");
        Ratio("new users' connects / raw starts (target >= 0.8)", node.NewUsersPerSecond / node.RawStartsPerSecond, "x");
        Ratio("reconnect within the linger p50 - warm path p50 (target <= 5 ms)", node.Reconnect.P50 - node.WarmPath.P50, "ms");
        Ratio($"handshakes and pings through real tunnels at {node.Levels[^1].Containers:N0}, of 5", node.Handshakes, "");
    }

    private static void PrintControlPlane(ControlPlaneScaleBenchmarks.Figures run)
    {
        Console.WriteLine();
        Console.WriteLine(run.EmptyConnect);
        Console.WriteLine(run.FullConnect);
        var silos = $"{run.Silos} silo(s), {run.Sessions:N0} sessions:";
        Ratio($"{silos} sessions started", run.SessionsStartedPerSecond, "sessions/s");
        Ratio($"{silos} silo CPU, steady (target <= 1 core)", run.SiloCores, "cores");
        Ratio($"{silos} PostgreSQL CPU, steady", run.PostgresCores, "cores");
        Ratio($"{silos} PostgreSQL rows written (target <= 500/s)", run.RowsWrittenPerSecond, "rows/s");
        Ratio($"{silos} silo memory (target < 4,096 MiB)", run.SiloMiB, "MiB");
        Ratio($"{silos} connect p50 / empty cluster's (target <= 1.2)", run.FullConnect.P50 / run.EmptyConnect.P50, "x");
        Ratio($"{silos} idle sessions closed within (bound {ControlPlaneScaleBenchmarks.Figures.IdleBound.TotalSeconds:F0} s)",
            run.IdleClosedWithin.TotalSeconds, "s");
    }
}
