using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace OrleansWg.Integration.Tests;

/// <summary>Three silos, and one of them SIGKILLed while 20 users connect 200 times.</summary>
public sealed class SiloFailureTests(ITestOutputHelper output)
{
    private const int Users = 20;
    private const int Connects = 200;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_silo_killed_during_200_connects_loses_no_connect_doubles_no_session_and_leaves_nothing_behind()
    {
        await using var plane = await ControlPlane.StartAsync(new()
        {
            ["Users__MaxSessionsPerUser"] = $"{Connects + 1}",
            ["Node__Capacity"] = "1000",
            ["Sessions__CheckPeriod"] = "00:00:02",
            ["Sessions__IdleTimeout"] = $"{IdleTimeout:c}",
            ["Placement__PeerAuditPeriod"] = "00:00:02",
            // Longer than the storm and a check: the first sessions closed must still be there when the last one closes.
            ["Sessions__ClosedRetention"] = "00:00:40",
        }, silos: 3);
        var users = Enumerable.Range(0, Users).Select(i => $"storm{i}").ToArray();
        // Each user has a container already: the storm is about the silo's death, not container starts.
        var first = new List<JsonElement>();
        foreach (var user in users)
        {
            await plane.CreateUser(user);
            first.Add(await plane.ConnectOk(user));
        }

        var victim = Random.Shared.Next(3);
        var clock = Stopwatch.StartNew();
        var kill = Task.Run(async () =>
        {
            await Task.Delay(Random.Shared.Next(300, 2000));
            var at = clock.Elapsed;
            await plane.KillSiloAsync(victim);
            return at;
        });
        using var stormOver = new CancellationTokenSource();
        var serverStatuses = WatchServerStatus(plane, stormOver.Token);
        var connects = await RunAsync(Connects, concurrency: 20, i => ConnectUntilOk(plane, users[i % Users], clock));
        var killedAt = await kill;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stormOver.CancelAsync();

        var failures = connects.SelectMany(c => c.FailedAt).ToList();
        var window = failures.Count == 0 ? TimeSpan.Zero : failures.Max() - killedAt;
        output.WriteLine($"silo {victim} killed at {killedAt.TotalSeconds:F1} s; {failures.Count} answers were 503; " +
            $"connects failed for {window.TotalSeconds:F1} s after the kill; the slowest connect took {connects.Max(c => c.Took).TotalSeconds:F1} s " +
            $"with its retries; the storm took {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var refusal in connects.SelectMany(c => c.Refusals).GroupBy(r => r))
        {
            output.WriteLine($"  {refusal.Count()} x {refusal.Key}");
        }

        Assert.All(connects, c => Assert.NotNull(c.Session));
        var stormSessions = connects.Select(c => c.Session!.Value).ToList();
        Assert.Equal(Connects + Users, stormSessions.Concat(first).Select(s => s.GetProperty("sessionId").GetString()).Distinct().Count());
        Assert.InRange(window, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("down", await serverStatuses);

        // The first sessions have served (if they have not gone idle during the storm): their users'
        // containers stay for the storm's sessions.
        foreach (var session in first)
        {
            using var disconnect = await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, session));
            Assert.True(disconnect.IsSuccessStatusCode, $"disconnect: {(int)disconnect.StatusCode}");
        }

        // One audit later, the node runs exactly the storm sessions' peers: one each, no address twice, no orphan.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < IdleTimeout, $"the sessions are counted {clock.Elapsed} after the storm began: some may have gone idle already");
        var live = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/sessions"))!;
        var liveIds = live.Select(s => s.GetProperty("sessionId").GetString()!).ToList();
        foreach (var id in stormSessions.Select(s => s.GetProperty("sessionId").GetString()!).Except(liveIds))
        {
            Assert.Fail($"connected in the storm, but the server has no peer for it: {await plane.Admin.GetStringAsync($"/v1/admin/sessions/{id}")}");
        }

        var server = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/servers"))!.Single();
        Assert.Equal(Connects, server.GetProperty("sessions").GetInt32());
        Assert.Equal(Connects, live.Length);
        Assert.Equal(Connects, liveIds.Distinct().Count());
        Assert.Equal(Connects, live.Select(s => s.GetProperty("address").GetString()).Distinct().Count());
        Assert.Equal(Connects, await NodePeerCountAsync(plane));

        // Sessions whose reminders were on the killed silo close when idle too, and take their containers along.
        var left = await SessionsLeftAfter(plane, IdleTimeout + TimeSpan.FromSeconds(40));
        Assert.True(left.Length == 0, $"sessions left on the server: {string.Join(", ", left.Select(s => s.ToString()))}");
        foreach (var session in stormSessions)
        {
            Assert.Equal(("closed", "idle"), await plane.SessionStatus(session));
        }

        await plane.WaitFor(async () => (await Docker.ContainersAsync(plane.ServerId)).Count == 0, "the node's containers to go");
        await plane.WaitForEndedSessionsForgotten();
    }

    private sealed record ConnectOutcome(JsonElement? Session, List<TimeSpan> FailedAt, List<string> Refusals, TimeSpan Took);

    /// <summary>What owg does: one Idempotency-Key for the connect, tried again after each 503 as Retry-After says.</summary>
    private static async Task<ConnectOutcome> ConnectUntilOk(ControlPlane plane, string user, Stopwatch clock)
    {
        var started = clock.Elapsed;
        var key = Guid.NewGuid().ToString("N");
        var publicKey = WireGuardKey.CreatePair().PublicKey;
        var failedAt = new List<TimeSpan>();
        var refusals = new List<string>();
        for (var attempt = 0; attempt < 30; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/connect")
            {
                Content = JsonContent.Create(new { username = user, password = ApiClient.Password, publicKey }),
                Headers = { { "Idempotency-Key", key } },
            };
            using var response = await plane.Http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return new ConnectOutcome(await response.Json(), failedAt, refusals, clock.Elapsed - started);
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"{user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
            failedAt.Add(clock.Elapsed);
            refusals.Add((await response.Json()).GetProperty("detail").GetString()!);
            await Task.Delay(TimeSpan.FromSeconds(0.5));
        }

        return new ConnectOutcome(null, failedAt, refusals, clock.Elapsed - started);
    }

    /// <summary>The statuses the admin API gives the node's server, every quarter second until <paramref name="stop"/>; a refused look counts as none.</summary>
    private static async Task<HashSet<string>> WatchServerStatus(ControlPlane plane, CancellationToken stop)
    {
        var seen = new HashSet<string>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var servers = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/servers", stop);
                seen.UnionWith(servers!.Select(server => server.GetProperty("status").GetString()!));
                await Task.Delay(250, stop);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
            }
        }

        return seen;
    }

    private static async Task<T[]> RunAsync<T>(int count, int concurrency, Func<int, Task<T>> work)
    {
        using var gate = new SemaphoreSlim(concurrency);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await work(i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>The sessions the server still has a peer for, once there are none or <paramref name="limit"/> has passed.</summary>
    private static async Task<JsonElement[]> SessionsLeftAfter(ControlPlane plane, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var left = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/sessions"))!;
            if (left.Length == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>The peers the node's containers really have, read with wg inside each.</summary>
    private static async Task<int> NodePeerCountAsync(ControlPlane plane)
    {
        var count = 0;
        foreach (var container in await Docker.ContainersAsync(plane.ServerId))
        {
            count += (await Docker.PeersAsync(container.Id)).Count;
        }

        return count;
    }
}
