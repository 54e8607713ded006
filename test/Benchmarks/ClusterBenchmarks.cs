using System.Diagnostics;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// The cluster's costs: a warm connect with three silos against one, and connects from 32 clients
/// at once against the hashing bound, with the CPU each process spent per connect.
/// </summary>
public static class ClusterBenchmarks
{
    private const int Clients = 32;
    private const int ConnectsPerClient = 15;

    /// <param name="NodeDowns">How many times a server called its node down, which none died: false downs.</param>
    public sealed record Storm(int Silos, int Connects, TimeSpan Took, Latencies Latencies, IReadOnlyList<(string Process, TimeSpan Cpu)> CpuPerConnect, double NodeDowns)
    {
        public double PerSecond => Connects / Took.TotalSeconds;
    }

    public sealed record Figures(Latencies OneSilo, Latencies ThreeSilos, Storm OneSiloStorm, Storm ThreeSiloStorm);

    public static async Task<Figures> RunAsync()
    {
        var (one, oneStorm) = await RunOnAsync(silos: 1);
        var (three, threeStorm) = await RunOnAsync(silos: 3);
        return new Figures(one, three, oneStorm, threeStorm);
    }

    private static async Task<(Latencies Warm, Storm Storm)> RunOnAsync(int silos)
    {
        var settings = new Dictionary<string, string>(Production.Heartbeat)
        {
            ["Users__MaxSessionsPerUser"] = $"{ConnectsPerClient + 1}",
            ["Node__Capacity"] = "1000",
        };
        await using var plane = await ControlPlane.StartAsync(settings, silos: silos);
        await plane.CreateUser("bench");
        await plane.Connect("bench");
        var warm = await CoreBenchmarks.MeasureWarmConnect(plane, $"POST /v1/connect, user with a live session, {silos} silo(s)");
        return (warm, await StormAsync(plane, silos));
    }

    /// <summary>32 users, each with a container already, connect 15 times each, all at once.</summary>
    private static async Task<Storm> StormAsync(ControlPlane plane, int silos)
    {
        var users = Enumerable.Range(0, Clients).Select(i => $"storm{i}").ToArray();
        foreach (var user in users)
        {
            await plane.CreateUser(user);
            await plane.Connect(user);
        }

        var before = ProcessCosts.CpuTimes(plane);
        var clock = Stopwatch.StartNew();
        var samples = await Task.WhenAll(users.Select(async user =>
        {
            var mine = new List<double>(ConnectsPerClient);
            for (var i = 0; i < ConnectsPerClient; i++)
            {
                mine.Add(await Latencies.Time(() => plane.Connect(user)));
            }

            return mine;
        }));
        var took = clock.Elapsed;
        var after = ProcessCosts.CpuTimes(plane);
        var connects = Clients * ConnectsPerClient;
        var perConnect = after.Select(a => (a.Key, (a.Value - before.GetValueOrDefault(a.Key)) / connects)).ToList();
        return new Storm(silos, connects, took,
            new Latencies($"POST /v1/connect, {Clients} clients at once, {silos} silo(s)", [.. samples.SelectMany(s => s)]), perConnect,
            await NodeDownsAsync(plane, silos));
    }

    /// <summary>The times the plane's servers called their nodes down since it started, from every silo's metrics.</summary>
    private static async Task<double> NodeDownsAsync(ControlPlane plane, int silos)
    {
        using var http = new HttpClient();
        var pages = await Task.WhenAll(Enumerable.Range(0, silos).Select(silo => http.GetStringAsync(plane.SiloMetrics(silo))));
        return pages.Sum(page => PrometheusText.Sum(page, "orleanswg_server_node_downs", ""));
    }
}
