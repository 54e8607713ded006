using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>Sessions end when idle, past their lifetime or with their node lost, with periods of seconds.</summary>
public sealed class TeardownTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    private static Dictionary<string, string> ShortPeriods(string maxLifetime = "01:00:00", string? idleTimeout = null) => new()
    {
        ["Sessions__CheckPeriod"] = "00:00:01",
        ["Sessions__IdleTimeout"] = idleTimeout ?? $"{IdleTimeout:c}",
        ["Sessions__MaxLifetime"] = maxLifetime,
        ["Sessions__NodeLostGrace"] = "00:00:02",
        ["Placement__NodeDownAfter"] = "00:00:03",
        ["Sessions__ClosedRetention"] = "00:00:10",
    };

    [Fact]
    public async Task A_client_that_stops_sending_loses_its_peer_and_container_within_the_idle_timeout_and_a_check()
    {
        await using var plane = await ControlPlane.StartAsync(ShortPeriods());
        await plane.CreateUser("quiet");
        var (session, client) = await plane.ConnectedClientAsync("quiet");
        await using var _ = client;
        Assert.True(await client.PingAsync(ApiClient.ContainerTunnelAddress));

        await client.TakeTunnelDownAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        await plane.WaitFor(async () => await plane.SessionStatus(session) is ("closed", _), "the idle session to close");
        var closedAfter = DateTimeOffset.UtcNow - stoppedAt;

        Assert.Equal(("closed", "idle"), await plane.SessionStatus(session));
        // Idle timeout, one check, one heartbeat to see the last traffic, and slack for a busy machine.
        Assert.InRange(closedAfter, TimeSpan.Zero, IdleTimeout + TimeSpan.FromSeconds(1 + 1 + 5));
        Assert.DoesNotContain(await Docker.ContainersAsync(plane.ServerId), c => c.Name == plane.UserContainer("quiet"));
        await plane.WaitForEndedSessionsForgotten();
    }

    [Fact]
    public async Task A_client_that_keeps_sending_keeps_its_session_past_several_idle_timeouts()
    {
        await using var plane = await ControlPlane.StartAsync(ShortPeriods());
        await plane.CreateUser("busy");
        var (session, client) = await plane.ConnectedClientAsync("busy");
        await using var _ = client;

        var answered = await client.KeepPingingAsync(ApiClient.ContainerTunnelAddress, IdleTimeout * 3);

        Assert.Equal(("active", null), await plane.SessionStatus(session));
        Assert.True(answered >= 25, $"only {answered} of 30 pings were answered");
    }

    [Fact]
    public async Task The_maximum_lifetime_closes_even_a_session_that_keeps_sending()
    {
        await using var plane = await ControlPlane.StartAsync(ShortPeriods(maxLifetime: "00:00:06"));
        await plane.CreateUser("longlived");
        var (session, client) = await plane.ConnectedClientAsync("longlived");
        await using var _ = client;

        await client.KeepPingingAsync(ApiClient.ContainerTunnelAddress, TimeSpan.FromSeconds(10));

        Assert.Equal(("closed", "lifetime"), await plane.SessionStatus(session));
        await plane.WaitForEndedSessionsForgotten();
    }

    [Fact]
    public async Task A_session_left_idle_across_a_restart_of_every_process_is_torn_down_afterwards()
    {
        await using var plane = await ControlPlane.StartAsync(ShortPeriods());
        await plane.CreateUser("restarted");
        var session = await plane.ConnectOk("restarted");

        await plane.StopProcessesAsync();
        await Task.Delay(IdleTimeout);
        await plane.StartProcessesAsync();
        await plane.WaitFor(async () => await plane.SessionStatus(session) is ("closed", _), "the idle session to close");

        Assert.Equal(("closed", "idle"), await plane.SessionStatus(session));
        await plane.WaitFor(async () => (await Docker.ContainersAsync(plane.ServerId)).Count == 0, "its container to go");
        await plane.WaitForEndedSessionsForgotten();
    }

    [Fact]
    public async Task A_stopped_node_goes_down_takes_no_new_sessions_loses_its_sessions_and_leaves_no_orphan_when_it_returns()
    {
        // Idle only after a minute: here nothing but the node's loss may close the session.
        await using var plane = await ControlPlane.StartAsync(ShortPeriods(idleTimeout: "00:01:00"));
        await plane.CreateUser("stranded");
        await plane.CreateUser("latecomer");
        var session = await plane.ConnectOk("stranded");

        await plane.KillNodeAsync();
        await plane.WaitFor(async () => (await plane.Admin.GetStringAsync("/v1/admin/servers")).Contains("\"status\":\"down\""), "the server to be down");
        var refused = await plane.Connect("latecomer");
        await plane.WaitFor(async () => await plane.SessionStatus(session) is ("closed", _), "the session to close");
        var closed = await plane.SessionStatus(session);
        await plane.StartNodeAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(("closed", "node-lost"), closed);
        await plane.WaitFor(async () => (await Docker.ContainersAsync(plane.ServerId)).Count == 0, "the returned node to remove the orphan");
        await plane.WaitForEndedSessionsForgotten();
    }

    [Fact]
    public async Task A_drained_server_takes_no_new_sessions_while_its_live_ones_keep_working()
    {
        await using var plane = await ControlPlane.StartAsync(ShortPeriods());
        await plane.CreateUser("before");
        await plane.CreateUser("after");
        var live = await plane.ConnectOk("before");

        var drain = await plane.Admin.PostAsync($"/v1/admin/servers/{plane.ServerId}/drain", null);
        var refused = await plane.Connect("after");
        var server = (await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/servers"))[0];

        Assert.Equal(HttpStatusCode.NoContent, drain.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("draining", server.GetProperty("status").GetString());
        Assert.Equal(("active", null), await plane.SessionStatus(live));
        Assert.Equal(HttpStatusCode.NotFound, (await plane.Admin.PostAsync("/v1/admin/servers/no-such-server/drain", null)).StatusCode);
    }

}
