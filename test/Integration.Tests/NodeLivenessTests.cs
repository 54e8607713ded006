using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>A node is called down when it dies, not when it, or the silo that judges it, is only slow.</summary>
public sealed class NodeLivenessTests
{
    private static readonly TimeSpan NodeDownAfter = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_silo_standing_still_longer_than_NodeDownAfter_and_a_node_stalled_shorter_call_no_node_down_and_move_no_session()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Placement__NodeDownAfter"] = $"{NodeDownAfter:c}" }, nodes: 2);
        await plane.CreateUser("steady");
        var (session, client) = await plane.ConnectedClientAsync("steady");
        await using var _ = client;

        // A long garbage collection of the silo, or its VM starved: no check runs and no signal is taken meanwhile.
        await plane.PauseSiloAsync(0, NodeDownAfter * 2);
        // The node's machine starved for a little less than its allowance.
        await Task.WhenAll(plane.PauseNodeAsync(0, NodeDownAfter / 2), plane.PauseNodeAsync(1, NodeDownAfter / 2));
        // A few liveness checks later.
        await Task.Delay(NodeDownAfter);

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(plane.SiloMetrics(0));
        var view = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{session.GetProperty("sessionId").GetString()}");
        var statuses = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/servers"))!.Select(server => server.GetProperty("status").GetString());

        Assert.Equal(0, PrometheusText.Sum(metrics, "orleanswg_server_node_downs", ""));
        Assert.Equal(0, view.GetProperty("moves").GetArrayLength());
        Assert.All(statuses, status => Assert.Equal("up", status));
        Assert.True(await client.PingAsync(ApiClient.ContainerTunnelAddress));
    }
}
