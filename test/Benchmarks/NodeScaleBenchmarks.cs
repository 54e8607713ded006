using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// One real node filled to a thousand users' containers, each with a live session: connect
/// latency, heartbeat cost and memory at 0, 250, 500 and 1,000 containers; the first 250 new
/// users' connects at concurrency 16 beside as many raw container starts at the same concurrency; a reconnect within the
/// linger beside the warm path; real handshakes from client namespaces at the end.
/// </summary>
public static class NodeScaleBenchmarks
{
    /// <summary>Up to 1,000, or OWG_BENCH_CONTAINERS: 250 measures the storm and the first level alone.</summary>
    private static readonly int[] Levels = [.. new[] { 0, 250, 500, 1000 }.Where(level =>
        level <= (int.TryParse(Environment.GetEnvironmentVariable("OWG_BENCH_CONTAINERS"), out var most) ? most : 1000))];
    private const int Concurrency = 16;
    private const int WarmPoolFloor = 2;
    private const int Samples = 30;
    private const int HandshakeSamples = 5;
    // The two paths differ by a few milliseconds in connects that vary by tens.
    private const int ReconnectSamples = 60;
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    // Two reconciles of the node (Production.Heartbeat) and the heartbeats between.
    private static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettleWindow = TimeSpan.FromSeconds(5);

    /// <param name="RefusedLogin">Wrong passwords, in turns with the connects: the same password check and no node, so what the machine's load alone does to a login.</param>
    /// <param name="SplitConnect">The same connects with the control plane on one core and the node on the other, as on two machines (<see cref="CpuSplit"/>).</param>
    /// <param name="SplitRefusedLogin">The refused logins in turns with them.</param>
    /// <param name="Parts">Of the level's connects and disconnects: the node's convergence of each, and the silo's shard writes.</param>
    /// <param name="MachineCpuBusy">The share of all the machine's cores busy over the quiet window, 0 to 1.</param>
    /// <param name="Handshake">A client of the level's last new user completed a handshake and a ping through its tunnel.</param>
    public sealed record Level(
        int Containers, Latencies Connect, Latencies RefusedLogin, Latencies SplitConnect, Latencies SplitRefusedLogin, ConnectParts Parts, TimeSpan NodeCpuPerHeartbeat, TimeSpan DockerdCpuPerHeartbeat, double MachineCpuBusy,
        double MachineMiB, double NodeHostMiB, bool Handshake, IReadOnlyList<(string Name, double Share)> BusiestWhileQuiet);

    public sealed record Figures(
        IReadOnlyList<Level> Levels, Latencies Reconnect, Latencies WarmPath, double RawStartsPerSecond, double NewUsersPerSecond,
        TimeSpan StartAll, double WireGuardMiB, double ShimMiB, int Handshakes)
    {
        public double MiBPerContainer => (Levels[^1].MachineMiB - Levels[0].MachineMiB) / (Levels[^1].Containers - Levels[0].Containers);
    }

    public static async Task<Figures> RunAsync()
    {
        var settings = new Dictionary<string, string>(Production.Heartbeat)
        {
            ["Node__Capacity"] = "2000",
            ["Node__WarmPoolSize"] = $"{WarmPoolFloor}",
            ["Node__WarmPoolMax"] = "32",
            ["Placement__ContainerLinger"] = "00:30:00",
            // Only a sample of the sessions has a client: the others must not end as idle.
            ["Sessions__IdleTimeout"] = "01:00:00",
            // The levels' refused logins must not lock their source out.
            ["Users__MaxFailedLogins"] = "1000000",
        };
        await using var plane = await ControlPlane.StartAsync(settings, largeNodes: true);
        var users = Enumerable.Range(0, Levels[^1]).Select(i => $"u{i}").ToArray();
        await Parallel.ForEachAsync(users.Prepend("probe").Prepend("resident"), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (user, _) => await plane.CreateUser(user));
        await plane.Connect("resident");
        await plane.Disconnect(await plane.Connect("probe"));

        // The raw starts first: the removal of their containers goes on in the kernel after dockerd is done with it.
        var rawRate = await RawStartsPerSecond();
        var (reconnect, warmPath) = await ReconnectsBesideWarmPath(plane);
        var levels = new List<Level> { await MeasureLevel(plane, 0, "resident") };
        var startAll = TimeSpan.Zero;
        var newUsersPerSecond = 0.0;
        for (var level = 1; level < Levels.Length; level++)
        {
            var batch = users[Levels[level - 1]..Levels[level]];
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (user, _) => await plane.Connect(user));
            startAll += clock.Elapsed;
            if (level == 1)
            {
                newUsersPerSecond = batch.Length / clock.Elapsed.TotalSeconds;
            }

            Console.WriteLine($"  {Levels[level]} users connected, {startAll.TotalSeconds:F0} s of connects");
            await PoolSettled(plane);
            levels.Add(await MeasureLevel(plane, Levels[level], batch[^1]));
        }

        var (wireGuard, shim) = (AverageResidentMiB("wireguard-go"), AverageResidentMiB("containerd-shim-runc-v2"));
        var handshakes = await HandshakesAsync(plane, users[..HandshakeSamples]);
        return new Figures(levels, reconnect, warmPath, rawRate, newUsersPerSecond, startAll, wireGuard, shim, handshakes);
    }

    /// <summary>
    /// A user whose container lingers after their last session reconnects, and a user with a live
    /// session connects again (the warm path), in turns, each first every other time.
    /// </summary>
    private static async Task<(Latencies Reconnect, Latencies WarmPath)> ReconnectsBesideWarmPath(ControlPlane plane)
    {
        var reconnect = new List<double>();
        var warm = new List<double>();
        for (var i = 0; i < ReconnectSamples + 2; i++)
        {
            JsonElement probe = default, resident = default;
            double reconnectTime, warmTime;
            if (i % 2 == 0)
            {
                reconnectTime = await Latencies.Time(async () => probe = await plane.Connect("probe"));
                warmTime = await Latencies.Time(async () => resident = await plane.Connect("resident"));
            }
            else
            {
                warmTime = await Latencies.Time(async () => resident = await plane.Connect("resident"));
                reconnectTime = await Latencies.Time(async () => probe = await plane.Connect("probe"));
            }

            await plane.Disconnect(probe);
            await plane.Disconnect(resident);
            await plane.WaitForSessions("probe", 0);
            await plane.WaitForSessions("resident", 1);
            if (i >= 2)
            {
                reconnect.Add(reconnectTime);
                warm.Add(warmTime);
            }
        }

        return (new Latencies("POST /v1/connect, reconnect within the linger", reconnect),
            new Latencies("POST /v1/connect, user with a live session, in turns", warm));
    }

    /// <summary>As many session containers as the first level's new users, started with the node's own parameters and no control plane, 16 at a time.</summary>
    private static async Task<double> RawStartsPerSecond()
    {
        await using var raw = await RawNode.CreateAsync();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Levels[1]), new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (i, token) => await raw.Containers.StartAsync($"raw{i}", raw.Options.PortMin + i, token));
        return Levels[1] / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Waits (3 minutes at most) for the warm pool to shrink back to its floor once the level's new
    /// users stop coming, so that the level measures its containers, not the tail of its storm.
    /// </summary>
    private static async Task PoolSettled(ControlPlane plane)
    {
        var clock = Stopwatch.StartNew();
        while ((await TestStack.Docker.ContainersAsync(plane.ServerId)).Count(c => c.Name.Contains("-warm-")) > WarmPoolFloor
            && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Console.WriteLine($"  the warm pool settled in {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>Connect latency of the reconnecting user, the node's and dockerd's CPU over quiet heartbeats, memory, and one real tunnel.</summary>
    private static async Task<Level> MeasureLevel(ControlPlane plane, int containers, string sampleUser)
    {
        await ProcessCosts.MachineSettledAsync(SettleWindow, TimeSpan.FromMinutes(2));
        var totalsBefore = await ConnectParts.ReadAsync(plane);
        var beforeQuiet = await ProbeConnects(plane);
        var splitBeforeQuiet = await ProbeConnectsSplit(plane);
        var nodeHost = plane.Processes.Single(p => p.Name == plane.ServerId).Id;
        var dockerd = int.Parse(await File.ReadAllTextAsync("/var/run/docker.pid"));
        var (nodeBefore, dockerdBefore, machineBefore) = (ProcessCosts.CpuTime(nodeHost), ProcessCosts.CpuTime(dockerd), ProcessCosts.MachineCpuTime());
        var byNameBefore = ProcessCosts.CpuTimesByName();
        await Task.Delay(QuietWindow);
        var heartbeats = QuietWindow / HeartbeatInterval;
        var (nodeCpu, dockerdCpu, machine) = (ProcessCosts.CpuTime(nodeHost) - nodeBefore, ProcessCosts.CpuTime(dockerd) - dockerdBefore, ProcessCosts.MachineCpuTime());
        var machineTotal = machine.Total - machineBefore.Total;
        var busiest = ProcessCosts.BusiestSince(byNameBefore, machineTotal, 8);
        // Half the samples a minute later: a level's connects vary with what the machine does at the time.
        var splitAfterQuiet = await ProbeConnectsSplit(plane);
        var afterQuiet = await ProbeConnects(plane);
        var parts = ConnectParts.Between(totalsBefore, await ConnectParts.ReadAsync(plane));
        var connect = Latencies.Of($"POST /v1/connect, {containers} other containers on the node", beforeQuiet.Connect, afterQuiet.Connect);
        var refused = Latencies.Of($"POST /v1/connect, wrong password, {containers} containers", beforeQuiet.Refused, afterQuiet.Refused);
        var splitConnect = Latencies.Of($"POST /v1/connect, {containers} other containers on the node's core", splitBeforeQuiet.Connect, splitAfterQuiet.Connect);
        var splitRefused = Latencies.Of($"POST /v1/connect, wrong password, {containers} containers on the node's core", splitBeforeQuiet.Refused, splitAfterQuiet.Refused);
        return new Level(containers, connect, refused, splitConnect, splitRefused, parts, nodeCpu / heartbeats, dockerdCpu / heartbeats,
            (machine.Busy - machineBefore.Busy) / machineTotal, ProcessCosts.MachineUsedMiB(), ProcessCosts.ResidentMiB(nodeHost),
            await HandshakesAsync(plane, [sampleUser]) == 1, busiest);
    }

    /// <summary>The probe user's connects, each session deleted before the next, in turns with refused logins of the resident user.</summary>
    private static async Task<(Latencies Connect, Latencies Refused)> ProbeConnects(ControlPlane plane)
    {
        const int Warmup = 2;
        var (connects, refusals) = (new List<double>(), new List<double>());
        for (var i = 0; i < Warmup + Samples; i++)
        {
            var connect = await Latencies.Time(() => plane.Connect("probe"));
            foreach (var session in (await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/users/probe")).GetProperty("sessions").EnumerateArray())
            {
                await plane.Admin.DeleteAsync($"/v1/admin/sessions/{session.GetProperty("sessionId").GetString()}");
            }

            var refusal = await Latencies.Time(() => plane.RefusedLogin("resident"));
            if (i >= Warmup)
            {
                connects.Add(connect);
                refusals.Add(refusal);
            }
        }

        return (new Latencies("connects", connects), new Latencies("refused logins", refusals));
    }

    /// <summary><see cref="ProbeConnects"/> with the plane's silos, Gateway and PostgreSQL and this load generator on one core, the rest of the machine on the other.</summary>
    private static async Task<(Latencies Connect, Latencies Refused)> ProbeConnectsSplit(ControlPlane plane)
    {
        var controlPlane = plane.Processes.Where(p => plane.Nodes.All(node => node.ServerId != p.Name)).Select(p => p.Id)
            .Concat(ProcessCosts.PostgresProcesses()).Append(Environment.ProcessId);
        using var split = CpuSplit.Apply(controlPlane);
        return await ProbeConnects(plane);
    }

    /// <returns>How many of the sample users' second sessions carried a ping through a real tunnel from a client namespace.</returns>
    private static async Task<int> HandshakesAsync(ControlPlane plane, IEnumerable<string> sampleUsers)
    {
        var handshakes = 0;
        foreach (var user in sampleUsers)
        {
            await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);
            var session = await plane.Connect(user);
            var config = session.GetProperty("config").GetString()!;
            await client.BringUpAsync(config, session.GetProperty("address").GetString()!, "100.64.0.1");
            if (await client.PingAsync("100.64.0.1") && await client.HasHandshakeAsync())
            {
                handshakes++;
            }
            else
            {
                await DescribeFailedTunnel(plane, client, user, config);
            }
        }

        return handshakes;
    }

    /// <summary>Prints both ends of a sample's tunnel that carried no ping, and the host's tracking of its port.</summary>
    private static async Task DescribeFailedTunnel(ControlPlane plane, ClientNamespace client, string user, string config)
    {
        var container = (await TestStack.Docker.ContainersAsync(plane.ServerId)).FirstOrDefault(c => c.Name.EndsWith($"-{user}", StringComparison.Ordinal));
        var port = Regex.Match(config, @"Endpoint\s*=\s*\S+:(\d+)").Groups[1].Value;
        Console.WriteLine($"  {user}'s tunnel (UDP {port}, container {container?.Name ?? "not found by name"}) carried no ping");
        Console.WriteLine($"  client: {(await client.TryAsync(null, "wg", "show", client.Interface, "dump")).Output}");
        Console.WriteLine($"  conntrack: {(await Command.Try("conntrack", null, "-L", "-p", "udp", "--orig-port-dst", port)).Output}");
        if (container is null)
        {
            return;
        }

        Console.WriteLine($"  container: {(await Command.Try("docker", null, "exec", container.Id, "wg", "show", "wg0", "dump")).Output}");
        var (pid, address) = (await Command.Run("docker", "inspect", "-f", "{{.State.Pid}} {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container.Id)).Trim().Split(' ') switch
        {
            [var p, var a] => (p, a),
            var other => (other[0], ""),
        };
        Console.WriteLine($"  container at {address}, its UDP sockets: {(await Command.Try("nsenter", null, "-t", pid, "-n", "ss", "-uapn")).Output}");
        Console.WriteLine($"  the host's neighbour entry: {(await Command.Try("ip", null, "neigh", "show", address)).Output}");
        Console.WriteLine($"  DNAT: {(await Command.Try("bash", null, "-c", $"iptables -t nat -S DOCKER | grep -- '--dport {port} '")).Output}");
        var capture = Command.Try("timeout", null, "10", "nsenter", "-t", pid, "-n", "tcpdump", "-lni", "any", "-c", "8", "udp");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var answered = await client.PingAsync("100.64.0.1");
        var captured = await capture;
        Console.WriteLine($"  a second ping answered: {answered}; the container's UDP meanwhile: {captured.Output}{captured.Error}");
        Console.WriteLine($"  client after it: {(await client.TryAsync(null, "wg", "show", client.Interface, "dump")).Output}");
    }

    private static double AverageResidentMiB(string processName)
    {
        var processes = Process.GetProcessesByName(processName);
        return processes.Length == 0 ? 0 : processes.Average(p => ProcessCosts.ResidentMiB(p.Id));
    }
}
