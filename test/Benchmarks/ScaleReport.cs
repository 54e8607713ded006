using static OrleansWg.Benchmarks.Report;

namespace OrleansWg.Benchmarks;

/// <summary>bench.sh --scale: a node with a thousand users' containers.</summary>
public static class ScaleReport
{
    public static async Task RunAsync()
    {
        var node = await NodeScaleBenchmarks.RunAsync();

        Console.WriteLine();
        foreach (var level in node.Levels)
        {
            Console.WriteLine(level.Connect);
        }

        Console.WriteLine(node.Reconnect);
        Console.WriteLine(node.WarmPath);
        Console.WriteLine();
        foreach (var level in node.Levels)
        {
            Ratio($"{level.Containers} containers: NodeHost CPU per heartbeat", level.NodeCpuPerHeartbeat.TotalMilliseconds, "ms");
            Ratio($"{level.Containers} containers: dockerd CPU per heartbeat", level.DockerdCpuPerHeartbeat.TotalMilliseconds, "ms");
            Ratio($"{level.Containers} containers: NodeHost resident memory", level.NodeHostMiB, "MiB");
            Ratio($"{level.Containers} containers: machine memory in use", level.MachineMiB, "MiB");
        }

        Ratio("connect p50, 1,000 containers / none (target <= 1.2)", node.Levels[^1].Connect.P50 / node.Levels[0].Connect.P50, "x");
        Ratio("machine memory per container", node.MiBPerContainer, "MiB");
        Ratio("  wireguard-go resident memory, average", node.WireGuardMiB, "MiB");
        Ratio("  containerd-shim resident memory, average", node.ShimMiB, "MiB");
        Ratio("time to start the 1,000 (connects at concurrency 16)", node.StartAll.TotalSeconds, "s");
        Ratio("raw container starts at concurrency 16", node.RawStartsPerSecond, "starts/s");
        Ratio("new users' connects at concurrency 16", node.NewUsersPerSecond, "connects/s");
        Ratio("new users' connects / raw starts (target >= 0.8)", node.NewUsersPerSecond / node.RawStartsPerSecond, "x");
        Ratio("reconnect within the linger p50 - warm path p50 (target <= 5 ms)", node.Reconnect.P50 - node.WarmPath.P50, "ms");
        Ratio("handshakes and pings through real tunnels at 1,000, of 5", node.Handshakes, "");
    }
}
