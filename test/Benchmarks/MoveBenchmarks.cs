using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// A node dies (NodeHost and containers SIGKILLed, its address gone) under a connected owg client:
/// the time from its death to the first page fetched through the other node, in three parts:
/// detection (the server is down), placement (the session has moved) and pick-up (owg's watcher
/// has followed and a packet went through).
/// </summary>
public static class MoveBenchmarks
{
    private const int Runs = 5;

    public sealed record Phases(Latencies Detection, Latencies Placement, Latencies Pickup, Latencies Total);

    public sealed record Figures(Phases Shortened, Phases Defaults);

    public static async Task<Figures> RunAsync() => new(
        await MeasureAsync("test settings", new Dictionary<string, string>
        {
            ["Placement__NodeDownAfter"] = "00:00:03",
            ["Sessions__CheckPeriod"] = "00:00:02",
        }, ["OWG_WATCH_STALE=2"]),
        await MeasureAsync("defaults", Production.Heartbeat, []));

    private static async Task<Phases> MeasureAsync(string name, Dictionary<string, string> settings, string[] owgSettings)
    {
        await using var plane = await ControlPlane.StartAsync(settings, nodes: 2);
        await using var internet = await InternetHost.CreateAsync();
        var doomed = plane.Nodes[1];
        var samples = new List<(double Detection, double Placement, double Pickup)>();
        for (var run = 0; run < Runs; run++)
        {
            await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
            var user = $"move{run}";
            await plane.CreateUser(user);
            var connect = await client.TryAsync(Gateway.Password + "\n", ["env", $"OWG_STATE_DIR={client.StateDirectory}", .. owgSettings,
                Path.Combine(Repository.Root, "client", "owg"), "connect", "--gateway", plane.GatewayUrlForClients, "--ca", plane.GatewayCertificate,
                "--user", user, "--server", doomed.ServerId, "--interface", client.Interface, "--password-stdin"]);
            var sessionId = connect.Output.Trim().Split(' ')[^1];
            await Until(() => client.CanFetchAsync(internet.Url));

            var died = DateTimeOffset.UtcNow;
            await plane.KillNodeMachineAsync(1);
            var detected = await Until(async () => (await plane.Admin.GetStringAsync("/v1/admin/servers"))
                .Contains($"\"id\":\"{doomed.ServerId}\",\"status\":\"down\""));
            var moved = DateTimeOffset.MinValue;
            await Until(async () =>
            {
                var moves = (await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{sessionId}")).GetProperty("moves");
                moved = moves.GetArrayLength() > 0 ? moves[0].GetProperty("at").GetDateTimeOffset() : moved;
                return moves.GetArrayLength() > 0;
            });
            var followed = await Until(() => client.CanFetchAsync(internet.Url));
            samples.Add(((detected - died).TotalMilliseconds, (moved - detected).TotalMilliseconds, (followed - moved).TotalMilliseconds));

            await plane.ReviveNodeMachineAsync(1);
        }

        return new Phases(
            new Latencies($"node death to its server down, {name}", [.. samples.Select(s => s.Detection)]),
            new Latencies($"server down to the session moved, {name}", [.. samples.Select(s => s.Placement)]),
            new Latencies($"session moved to owg's first page through it, {name}", [.. samples.Select(s => s.Pickup)]),
            new Latencies($"node death to the first page through the new node, {name}", [.. samples.Select(s => s.Detection + s.Placement + s.Pickup)]));
    }

    /// <summary>Polls every 100 ms, for at most five minutes; returns when <paramref name="condition"/> first held.</summary>
    private static async Task<DateTimeOffset> Until(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (await condition())
            {
                return DateTimeOffset.UtcNow;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the benchmark waited five minutes for a step of a move");
    }
}
