using System.Net;

namespace OrleansWg.Integration.Tests;

/// <summary>Each test runs a control plane of its own, set up for what it breaks.</summary>
public sealed class NodeRecoveryTests
{
    [Fact]
    public async Task A_node_killed_and_tampered_with_converges_to_exactly_the_desired_state_when_it_starts_again()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("kept");
        var first = await plane.ConnectOk("kept");
        await plane.ConnectOk("kept");
        var container = plane.UserContainer("kept");
        var desiredPeers = await Docker.PeersAsync(container);

        await plane.KillNodeAsync();
        var removedPeer = WireGuardKey.PublicKeyOf(PrivateKeyIn(first));
        await Command.Run("docker", "exec", container, "wg", "set", "wg0", "peer", removedPeer, "remove");
        await Command.Run("docker", "run", "-d", "--name", $"owg-stray-{plane.ServerId}", "--label", $"owg.node={plane.ServerId}",
            "--label", $"owg.installation={plane.ClusterId}", "--network", "none", "--entrypoint", "sleep", "owg/session", "600");
        Assert.Single(await Docker.PeersAsync(container));
        await plane.StartNodeAsync();

        await plane.WaitFor(async () =>
            (await Docker.ContainersAsync(plane.ServerId)).Select(c => c.Name).SequenceEqual([container])
            && (await Docker.PeersAsync(container)).SetEquals(desiredPeers), "the node to converge");
    }

    [Fact]
    public async Task A_new_users_first_connect_claims_a_warm_container_instead_of_creating_one()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Node__WarmPoolSize"] = "1" });
        await plane.CreateUser("warm");
        ContainerInfo? warm = null;
        await plane.WaitFor(async () => (warm = (await Docker.ContainersAsync(plane.ServerId)).SingleOrDefault(c => c.Name.Contains("-warm-"))) is not null,
            "a warm container");

        await plane.ConnectOk("warm");

        // The claim is recorded at once; the rename that shows it follows in the background.
        await plane.WaitFor(async () => (await Docker.ContainersAsync(plane.ServerId)).Any(c => c.Name == plane.UserContainer("warm")),
            "the claimed container's new name");
        var containers = await Docker.ContainersAsync(plane.ServerId);
        Assert.Equal(warm!.Id, Assert.Single(containers, c => c.Name == plane.UserContainer("warm")).Id);
        await plane.WaitFor(async () => (await Docker.ContainersAsync(plane.ServerId)).Any(c => c.Name.Contains("-warm-")), "the pool to refill");
    }

    [Fact]
    public async Task The_warm_pool_grows_with_new_users_and_shrinks_back_to_its_floor_once_they_stop_coming()
    {
        await using var plane = await ControlPlane.StartAsync(new()
        {
            ["Node__WarmPoolSize"] = "1",
            ["Node__WarmPoolMax"] = "4",
            ["Node__WarmPoolDemandWindow"] = "00:00:10",
        });
        var users = Enumerable.Range(0, 4).Select(i => $"storm{i}").ToArray();
        foreach (var user in users)
        {
            await plane.CreateUser(user);
        }

        await Task.WhenAll(users.Select(plane.ConnectOk));
        await plane.WaitFor(async () => (await WarmContainers(plane)).Count == 4, "the pool to grow to its most");
        await plane.WaitFor(async () => (await WarmContainers(plane)).Count == 1, "the pool to shrink to its floor");

        var names = (await Docker.ContainersAsync(plane.ServerId)).Select(c => c.Name).ToList();
        Assert.All(users, user => Assert.Contains(plane.UserContainer(user), names));
        await plane.CreateUser("after");
        await plane.ConnectOk("after");
    }

    private static async Task<List<ContainerInfo>> WarmContainers(ControlPlane plane) =>
        [.. (await Docker.ContainersAsync(plane.ServerId)).Where(c => c.Name.Contains("-warm-"))];

    [Fact]
    public async Task A_missing_image_gives_the_user_a_503_and_the_admin_its_name_and_leaves_no_container()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Node__Image"] = "owg/no-such-image" });
        await plane.CreateUser("imageless");

        var response = await plane.Connect("imageless");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("owg/no-such-image", await plane.FailureCauseOf(response));
        Assert.DoesNotContain("owg/no-such-image", await response.Content.ReadAsStringAsync());
        Assert.Empty(await Docker.ContainersAsync(plane.ServerId));
    }

    [Fact]
    public async Task A_used_up_port_range_gives_the_user_a_503_and_the_admin_its_cause()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Node__PortMin"] = "51500", ["Node__PortMax"] = "51500" });
        await plane.CreateUser("first");
        await plane.CreateUser("second");

        await plane.ConnectOk("first");
        var response = await plane.Connect("second");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("port range 51500-51500 is used up", await plane.FailureCauseOf(response));
    }

    private static string PrivateKeyIn(System.Text.Json.JsonElement connectReply) =>
        connectReply.GetProperty("config").GetString()!.Split('\n').Single(line => line.StartsWith("PrivateKey = ")).Split(" = ")[1];
}
