using System.Diagnostics;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// The control plane with 100,000 active sessions on 100 simulated nodes: the steady state's
/// CPU, PostgreSQL writes and silo memory, a user's connect beside an empty cluster's, and how
/// soon idle sessions among them are closed.
/// </summary>
public static class ControlPlaneScaleBenchmarks
{
    /// <summary>100, or OWG_BENCH_NODES: fewer puts more sessions on each server.</summary>
    private static readonly int Nodes = int.TryParse(Environment.GetEnvironmentVariable("OWG_BENCH_NODES"), out var nodes) ? nodes : 100;
    /// <summary>100,000, or OWG_BENCH_SESSIONS: fewer for a quick look or a smaller machine.</summary>
    private static readonly int Sessions = int.TryParse(Environment.GetEnvironmentVariable("OWG_BENCH_SESSIONS"), out var sessions) ? sessions : 100_000;
    private const int IdleSessions = 100;
    private const int Concurrency = 64;
    private const int Samples = 30;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    public sealed record Figures(
        int Silos, int Sessions, Latencies EmptyConnect, Latencies FullConnect, double SessionsStartedPerSecond, double SiloCores, double PostgresCores,
        double RowsWrittenPerSecond, double SiloMiB, TimeSpan IdleClosedWithin)
    {
        public static TimeSpan IdleBound => IdleTimeout + CheckPeriod;
    }

    public static async Task<Figures> RunAsync(int silos)
    {
        var settings = new Dictionary<string, string>
        {
            ["Sessions__IdleTimeout"] = $"{IdleTimeout:c}",
            ["Sessions__CheckPeriod"] = $"{CheckPeriod:c}",
            ["Reminders__MinimumReminderPeriod"] = "00:01:00",
        };
        await using var plane = await ControlPlane.StartAsync(settings, nodes: 0, silos: silos);
        await using var nodes = await SimulatedNodes.StartAsync(plane, Nodes, capacity: 2 * Sessions / Nodes);
        await plane.CreateUser("probe");
        var empty = await MeasureConnects(plane, $"POST /v1/connect, {silos} silo(s), no other session");

        var clock = Stopwatch.StartNew();
        await StartSessions(nodes, Enumerable.Range(0, Sessions).Select(i => $"s{i}"));
        var startedPerSecond = Sessions / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  {Sessions} sessions started in {clock.Elapsed.TotalSeconds:F0} s on {silos} silo(s)");

        var idleUsers = Enumerable.Range(0, IdleSessions).Select(i => $"idle{i}").ToList();
        idleUsers.ForEach(user => nodes.Idle[user] = true);
        var idleSince = DateTimeOffset.UtcNow;
        var idleIds = await StartSessions(nodes, idleUsers);
        var idleClosed = IdleClosedWithin(nodes, idleIds, idleSince);
        await Task.Delay(Settle);

        var siloPids = plane.Processes.Where(p => p.Name.StartsWith("silo", StringComparison.Ordinal)).Select(p => p.Id).ToList();
        var (siloBefore, postgresBefore, rowsBefore) = (SiloCpu(siloPids), ProcessCosts.PostgresCpuTime(), await RowsWritten(plane));
        await Task.Delay(Window);
        var (siloAfter, postgresAfter, rowsAfter) = (SiloCpu(siloPids), ProcessCosts.PostgresCpuTime(), await RowsWritten(plane));
        var siloMiB = siloPids.Sum(ProcessCosts.ResidentMiB);

        var full = await MeasureConnects(plane, $"POST /v1/connect, {silos} silo(s), {Sessions} other active sessions");
        var idleClosedWithin = await idleClosed;
        return new Figures(silos, Sessions, empty, full, startedPerSecond, (siloAfter - siloBefore) / Window, (postgresAfter - postgresBefore) / Window,
            (rowsAfter - rowsBefore) / Window.TotalSeconds, siloMiB, idleClosedWithin);
    }

    /// <summary>A session of each user, straight on a simulated node (no password to verify), round robin over the nodes.</summary>
    private static async Task<List<Guid>> StartSessions(SimulatedNodes nodes, IEnumerable<string> users)
    {
        var servers = nodes.ServerIds;
        var started = new List<Guid>();
        await Parallel.ForEachAsync(users.Select((user, index) => (user, index)), new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (item, _) =>
            {
                var id = Guid.NewGuid();
                var start = new SessionStart(item.user, WireGuardKey.CreatePair().PublicKey, [servers[item.index % servers.Count]], "100.64.0.2/32");
                var result = await nodes.Client.GetGrain<ISessionGrain>(id).Start(start);
                if (result.Session is null)
                {
                    throw new InvalidOperationException($"a simulated session did not start: {result.Status} {result.Detail}");
                }

                lock (started)
                {
                    started.Add(id);
                    if (started.Count % 10_000 == 0)
                    {
                        Console.WriteLine($"  {started.Count} sessions started");
                    }
                }
            });
        return started;
    }

    /// <summary>The probe user connects, timed, and disconnects.</summary>
    private static async Task<Latencies> MeasureConnects(ControlPlane plane, string name)
    {
        System.Text.Json.JsonElement session = default;
        return await Latencies.Measure(name, 2, Samples, async () => session = await plane.Connect("probe"), between: async () =>
        {
            await plane.Disconnect(session);
            await plane.WaitForSessions("probe", 0);
        });
    }

    /// <returns>How long after their start the last of the idle sessions was closed; bounded by three idle bounds.</returns>
    private static async Task<TimeSpan> IdleClosedWithin(SimulatedNodes nodes, IReadOnlyList<Guid> idleIds, DateTimeOffset since)
    {
        var deadline = since + 3 * Figures.IdleBound;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var views = await Task.WhenAll(idleIds.Select(id => nodes.Client.GetGrain<ISessionGrain>(id).Describe()));
            if (views.All(view => view is null || view.Status is SessionStatus.Closed))
            {
                return DateTimeOffset.UtcNow - since;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return deadline - since;
    }

    private static TimeSpan SiloCpu(IEnumerable<int> pids) => pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcessCosts.CpuTime(pid));

    /// <returns>Rows inserted, updated and deleted in the plane's database so far: every grain state write and reminder change is one.</returns>
    private static async Task<long> RowsWritten(ControlPlane plane) =>
        await plane.Database.Scalar<long>("SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()");
}
