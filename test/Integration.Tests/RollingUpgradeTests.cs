using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>An installation upgraded one process at a time while its users connect and their tunnels carry traffic.</summary>
public sealed class RollingUpgradeTests
{
    [Fact]
    public async Task Every_silo_then_the_Gateway_then_each_node_replaced_by_the_next_version_fails_no_connect_and_stops_no_tunnel()
    {
        using var next = await NextVersionBuild.CreateAsync();
        await using var plane = await ControlPlane.StartAsync(silos: 2, nodes: 2);
        string[] users = ["stream0", "stream1", "stream2"];
        foreach (var user in users.Append("steady"))
        {
            await plane.CreateUser(user);
        }

        var (_, steady) = await plane.ConnectedClientAsync("steady");
        await using var _ = steady;
        await using var ping = ContinuousPing.Start(steady.Namespace, ApiClient.ContainerTunnelAddress);
        await using var stream = new ConnectStream(plane, users);
        await stream.WaitForMoreAsync(3);

        // The procedure of docs/operations.md, "Upgrades": each silo in turn, then the Gateway, then each node.
        plane.BuildRoot = next.Root;
        for (var silo = 0; silo < 2; silo++)
        {
            await plane.StopSiloAsync(silo);
            plane.StartSilo(silo, samePorts: true);
            await plane.WaitForEverySiloAsync();
            await stream.WaitForMoreAsync(3);
        }

        await plane.ReplaceGatewayAsync();
        await stream.WaitForMoreAsync(3);
        for (var node = 0; node < 2; node++)
        {
            await plane.StopNodeAsync(node);
            await plane.StartNodeAsync(node);
            await stream.WaitForMoreAsync(3);
        }

        var (connects, retried, failures) = await stream.StopAsync();
        var (sent, unanswered) = await ping.StopAsync();

        Assert.Empty(failures);
        Assert.True(unanswered.Count == 0, $"{unanswered.Count} of {sent} pings through the steady tunnel went unanswered: {string.Join(' ', unanswered)}");
        Assert.Equal(NextVersionBuild.Version, (await plane.Http.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("version").GetString());
        foreach (var node in new[] { 0, 1 })
        {
            Assert.Contains($"OrleansWg.NodeHost {NextVersionBuild.Version}", await File.ReadAllTextAsync(plane.NodeLog(node)), StringComparison.Ordinal);
        }

        Assert.Equal(1L, await plane.Database.Scalar<long>(
            $"SELECT count(*) FROM information_schema.columns WHERE table_name = 'owg_audit' AND column_name = '{NextVersionBuild.MigratedColumn}'"));
        Assert.True(connects >= 15, $"{connects} connects ({retried} retried once)");
    }
}
