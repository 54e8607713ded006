using OrleansWg.Benchmarks;
using static OrleansWg.Benchmarks.Report;

// Figures from one run on this machine: compare the ratios, not the absolute times.
if (Array.IndexOf(args, "--scale") is >= 0 and var scale)
{
    await ScaleReport.RunAsync(args.ElementAtOrDefault(scale + 1));
    return;
}

// The failover figures alone, to tune Placement__NodeDownAfter and owg's watcher by.
if (args.Contains("--moves"))
{
    PrintMoves(await MoveBenchmarks.RunAsync());
    return;
}

// The kernel's WireGuard against wireguard-go, where the kernel has it: scripts/bench.sh --guest runs this in a guest.
if (Array.IndexOf(args, "--guest") is >= 0 and var guest)
{
    var containers = int.TryParse(args.ElementAtOrDefault(guest + 1), out var given) && given > 0 ? given : GuestBenchmarks.DefaultContainers;
    await GuestReport.RunAsync(containers);
    return;
}

// A warm connect's stages, from its trace.
if (args.Contains("--traces"))
{
    PrintStages(await TraceBenchmarks.RunAsync());
    return;
}

var core = await CoreBenchmarks.RunAsync();
var node = await NodeBenchmarks.RunAsync();
var cluster = await ClusterBenchmarks.RunAsync();
var moves = await MoveBenchmarks.RunAsync();
var dns = await DnsBenchmarks.RunAsync();

Console.WriteLine();
Console.WriteLine(core.Verify);
Console.WriteLine(core.WrongPassword);
Console.WriteLine(core.MadeUpUser);
Console.WriteLine(core.WrongPasswordAgain);
Console.WriteLine(core.WarmConnect);
Console.WriteLine(node.WireGuardPeer);
Console.WriteLine(node.WgSetPeer);
Console.WriteLine(node.RawStart);
Console.WriteLine(node.ColdConnect);
Console.WriteLine(node.WarmContainerConnect);
Console.WriteLine(node.LiveContainerConnect);
Console.WriteLine(node.DuringRefillConnect);
Console.WriteLine(cluster.OneSilo);
Console.WriteLine(cluster.ThreeSilos);
Console.WriteLine(cluster.OneSiloStorm.Latencies);
Console.WriteLine(cluster.ThreeSiloStorm.Latencies);
PrintMoves(moves);
foreach (var latencies in new[] { dns.TunnelCached, dns.TunnelUncached, dns.DirectCached, dns.DirectUncached })
{
    Console.WriteLine(latencies);
}
Console.WriteLine();
Ratio("warm connect p50 - verify p50 (target <= 10 ms)", core.WarmConnect.P50 - core.Verify.P50, "ms");
// The same verify, run inside the silo beside everything else, as every connect runs it.
Ratio("warm connect p50 - wrong-password connect p50", core.WarmConnect.P50 - core.WrongPassword.P50, "ms");
// A made-up user must answer like a real one: their difference, against how far two series of the same thing are apart.
Ratio("made-up user p50 - real user's wrong password p50", core.MadeUpUser.P50 - core.WrongPassword.P50, "ms");
Ratio("noise: real user's wrong password p50, second series - first", core.WrongPasswordAgain.P50 - core.WrongPassword.P50, "ms");
Ratio("wg set p50 / UAPI p50 (target >= 10)", node.WgSetPeer.P50 / node.WireGuardPeer.P50, "x");
Ratio("cold connect p50 / raw start p50 (target <= 1.15)", node.ColdConnect.P50 / node.RawStart.P50, "x");
Ratio("warm-container connect p50 - warm connect p50 of the core's run", node.WarmContainerConnect.P50 - core.WarmConnect.P50, "ms");
// The core's warm path again, in turns with the new users' connects on the same settled node.
Ratio("warm-container connect p50 - warm connect p50, in turns (target <= 10 ms)", node.WarmContainerConnect.P50 - node.LiveContainerConnect.P50, "ms");
Ratio("warm connect p50, 3 silos / 1 silo", cluster.ThreeSilos.P50 / cluster.OneSilo.P50, "x");
Ratio("warm connect p99, 3 silos / 1 silo", cluster.ThreeSilos.P99 / cluster.OneSilo.P99, "x");
// The hashing bound: every core doing nothing but Argon2id verifies.
var hashingBound = Environment.ProcessorCount / (core.Verify.P50 / 1000);
Ratio("hashing bound (cores / verify p50)", hashingBound, "connects/s");
foreach (var storm in new[] { cluster.OneSiloStorm, cluster.ThreeSiloStorm })
{
    Ratio($"{storm.Silos} silo(s), 32 clients: connects/s", storm.PerSecond, "connects/s");
    Ratio($"{storm.Silos} silo(s), 32 clients: share of the hashing bound (target >= 0.8)", storm.PerSecond / hashingBound, "x");
    Ratio($"{storm.Silos} silo(s), 32 clients: p99 / p50 (target <= 3)", storm.Latencies.P99 / storm.Latencies.P50, "x");
    Ratio($"{storm.Silos} silo(s), 32 clients: false downs, nodes called down though none died (target 0)", storm.NodeDowns, "");
    foreach (var (process, cpu) in storm.CpuPerConnect)
    {
        Ratio($"  CPU per connect: {process}", cpu.TotalMilliseconds, "ms");
    }
}
Ratio("DNS through the tunnel, cached p50 / from the node to its upstream p50", dns.TunnelCached.P50 / dns.DirectCached.P50, "x");
Ratio("DNS through the tunnel, uncached p50 / from the node to its upstream p50", dns.TunnelUncached.P50 / dns.DirectUncached.P50, "x");
Ratio("DNS through the tunnel, uncached p50 - cached p50", dns.TunnelUncached.P50 - dns.TunnelCached.P50, "ms");
Ratio("DNS queries one client gets answered, 64 in flight", dns.AnsweredPerSecond, "queries/s");
Ratio("resolver resident memory", dns.ResidentMiB, "MiB");
Ratio("resolver resident memory with a 100,000-name blocklist", dns.ResidentWithBlocklistMiB, "MiB");

static void PrintMoves(MoveBenchmarks.Figures moves)
{
    foreach (var phases in new[] { moves.Shortened, moves.Defaults })
    {
        Console.WriteLine(phases.Detection);
        Console.WriteLine(phases.Placement);
        Console.WriteLine(phases.Pickup);
        Console.WriteLine(phases.Total);
    }
}

static void PrintStages(IReadOnlyList<TraceBenchmarks.Stage> stages)
{
    Console.WriteLine($"{"a warm connect's trace: process: span",-66} {"per connect",11} {"starts at",10} {"takes",9}");
    foreach (var stage in stages)
    {
        Console.WriteLine($"{stage.Name,-66} {stage.PerConnect,11:F0} {stage.Start,7:F2} ms {stage.Duration,6:F2} ms");
    }
}
