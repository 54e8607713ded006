using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace OrleansWg.Integration.Tests;

/// <summary>One user's container frozen or restarted: only that user notices, and not for long.</summary>
public sealed class NodeFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_paused_container_fails_only_its_user_while_the_node_keeps_its_heartbeat_and_unpausing_recovers_it()
    {
        await using var plane = await ControlPlane.StartAsync(new()
        {
            ["Placement__NodeDownAfter"] = "00:00:04",
            ["Node__InterfaceTimeout"] = "00:00:01",
        });
        await plane.CreateUser("frozen");
        await plane.CreateUser("lively");
        var frozenSession = await plane.ConnectOk("frozen");
        var livelySession = await plane.ConnectOk("lively");
        var container = plane.UserContainer("frozen");

        await Command.Run("docker", "pause", container);
        try
        {
            var others = new List<HttpResponseMessage>();
            for (var i = 0; i < 3; i++)
            {
                await plane.CreateUser($"newcomer{i}");
                others.Add(await plane.Connect($"newcomer{i}"));
                others.Add(await plane.Connect("lively"));
            }

            // Longer than NodeDownAfter: a heartbeat stuck behind the frozen container would show the node down.
            await Task.Delay(TimeSpan.FromSeconds(6));
            var whilePaused = await plane.Connect("frozen");

            Assert.All(others, response => Assert.True(response.IsSuccessStatusCode, response.ReasonPhrase));
            Assert.Equal("up", await ServerStatus(plane));
            Assert.Equal("active", (await plane.SessionStatus(livelySession)).Status);
            Assert.Equal("active", (await plane.SessionStatus(frozenSession)).Status);
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, whilePaused.StatusCode);
            Assert.DoesNotContain(container, await whilePaused.Content.ReadAsStringAsync());
        }
        finally
        {
            await Command.Try("docker", null, "unpause", container);
        }

        var afterUnpause = await plane.Connect("frozen");
        Assert.True(afterUnpause.IsSuccessStatusCode, await afterUnpause.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_restarted_container_keeps_its_key_port_and_idle_shim_and_the_clients_tunnel_carries_traffic_again_without_a_reconnect()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("restarted");
        var (session, client) = await plane.ConnectedClientAsync("restarted");
        await using var _ = client;
        var container = plane.UserContainer("restarted");
        Assert.True(await client.PingAsync(ApiClient.ContainerTunnelAddress));
        var portBefore = await Command.Run("docker", "port", container);

        // On a busy machine containerd 1.6 may hand the start to the stopped container's shim, idle
        // and not yet gone, and fail it ("failed to create shim task"): then the node starts it after its grace.
        var restart = await Command.Try("docker", null, "restart", "-t", "1", container);
        Assert.True(restart.ExitCode == 0 || restart.Error.Contains("shim task", StringComparison.Ordinal), restart.Error);
        output.WriteLine(restart.ExitCode == 0 ? "docker restart restarted the container" : $"docker restart stopped the container but did not start it: {restart.Error.Trim()}");
        var clock = Stopwatch.StartNew();
        var recovered = false;
        while (!recovered && clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            recovered = await client.PingAsync(ApiClient.ContainerTunnelAddress);
        }

        output.WriteLine($"the tunnel carried traffic again {clock.Elapsed.TotalSeconds:F1} s after docker restart returned");
        Assert.True(recovered, "the tunnel did not carry traffic within 40 s of the restart");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"it took {clock.Elapsed.TotalSeconds:F1} s, more than one handshake retry");
        Assert.Equal(portBefore, await Command.Run("docker", "port", container));
        Assert.Equal("active", (await plane.SessionStatus(session)).Status);
        Assert.True(await Docker.ShimIsInIdleCgroupAsync(container), "the restarted container's new shim is not in the idle cgroup");
    }

    private static async Task<string?> ServerStatus(ControlPlane plane) =>
        (await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/servers")).EnumerateArray()
            .Single(server => server.GetProperty("id").GetString() == plane.ServerId).GetProperty("status").GetString();
}
