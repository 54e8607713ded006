namespace OrleansWg.Integration.Tests;

/// <summary>Installations that share a host: each one's node keeps to what it made.</summary>
public sealed class InstallationTests
{
    private const string Reconciles = "orleanswg_node_convergence_duration_count{kind=\"reconcile\"}";

    [Fact]
    public async Task Two_installations_with_a_node_of_the_same_id_on_one_host_keep_to_their_own_containers()
    {
        var serverPrefix = $"t{Guid.NewGuid():N}"[..7];
        await using var first = await ControlPlane.StartAsync(nodePrefix: serverPrefix);
        await using var second = await ControlPlane.StartAsync(nodePrefix: serverPrefix, firstNode: 2);
        ControlPlane[] planes = [first, second];
        Assert.Equal(first.ServerId, second.ServerId);
        var sessions = new List<System.Text.Json.JsonElement>();
        foreach (var plane in planes)
        {
            await plane.CreateUser("alice");
            sessions.Add(await plane.ConnectOk("alice"));
        }

        // A reconcile removes every container of its node that nobody desires: after three more of
        // each node, each would have removed the other's had it taken them for its own.
        using var http = new HttpClient();
        var before = await Task.WhenAll(planes.Select(async plane => PrometheusText.Sample(await http.GetStringAsync(plane.NodeMetrics(0)), Reconciles)));
        foreach (var (plane, reconciled) in planes.Zip(before))
        {
            await plane.WaitFor(async () => PrometheusText.Sample(await http.GetStringAsync(plane.NodeMetrics(0)), Reconciles) >= reconciled + 3,
                "three more reconciles");
        }

        foreach (var (plane, session) in planes.Zip(sessions))
        {
            Assert.Equal([plane.UserContainer("alice")], (await Docker.ContainersAsync(plane.ServerId, plane.ClusterId)).Select(c => c.Name));
            await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);
            await client.BringUpAsync(session.GetProperty("config").GetString()!, session.GetProperty("address").GetString()!,
                ApiClient.ContainerTunnelAddress);
            Assert.True(await client.PingAsync(ApiClient.ContainerTunnelAddress));
        }
    }
}
