using OrleansWg.Benchmarks;

// Figures from one run on this machine: compare the ratios, not the absolute times.
var core = await CoreBenchmarks.RunAsync();
var node = await NodeBenchmarks.RunAsync();

Console.WriteLine();
Console.WriteLine(core.Verify);
Console.WriteLine(core.UnknownUser);
Console.WriteLine(core.WarmConnect);
Console.WriteLine(node.UapiPeer);
Console.WriteLine(node.WgSetPeer);
Console.WriteLine(node.RawStart);
Console.WriteLine(node.ColdConnect);
Console.WriteLine(node.WarmContainerConnect);
Console.WriteLine(node.LiveContainerConnect);
Console.WriteLine(node.DuringRefillConnect);
Console.WriteLine();
Ratio("warm connect p50 - verify p50 (target <= 10 ms)", core.WarmConnect.P50 - core.Verify.P50, "ms");
// The same verify, run inside the silo beside everything else, as every connect runs it.
Ratio("warm connect p50 - unknown-user connect p50", core.WarmConnect.P50 - core.UnknownUser.P50, "ms");
Ratio("wg set p50 / UAPI p50 (target >= 10)", node.WgSetPeer.P50 / node.UapiPeer.P50, "x");
Ratio("cold connect p50 / raw start p50 (target <= 1.15)", node.ColdConnect.P50 / node.RawStart.P50, "x");
Ratio("warm-container connect p50 - warm connect p50 of the core's run", node.WarmContainerConnect.P50 - core.WarmConnect.P50, "ms");
// The core's warm path again, in turns with the new users' connects on the same settled node.
Ratio("warm-container connect p50 - warm connect p50, in turns (target <= 10 ms)", node.WarmContainerConnect.P50 - node.LiveContainerConnect.P50, "ms");

static void Ratio(string name, double value, string unit) => Console.WriteLine($"{name,-66} {value,8:F2} {unit}");
