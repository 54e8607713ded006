namespace OrleansWg.Integration.Tests;

/// <summary>A user's container outlives their last session for Placement:ContainerLinger, so a quick reconnect starts nothing.</summary>
public sealed class ContainerLingerTests
{
    [Fact]
    public async Task A_user_who_reconnects_within_the_linger_gets_the_same_container_without_peers_left_from_before()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Placement__ContainerLinger"] = "00:05:00" });
        await plane.CreateUser("returning");
        var first = await plane.ConnectOk("returning");
        var before = Assert.Single(await Docker.ContainersAsync(plane.ServerId));

        (await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, first))).EnsureSuccessStatusCode();
        var lingering = await Docker.ContainersAsync(plane.ServerId);
        var peersWhileLingering = await Docker.PeersAsync(plane.UserContainer("returning"));
        var second = await plane.ConnectOk("returning");
        var after = Assert.Single(await Docker.ContainersAsync(plane.ServerId));

        Assert.Equal(before, Assert.Single(lingering));
        Assert.Empty(peersWhileLingering);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(first.GetProperty("endpoint").GetString(), second.GetProperty("endpoint").GetString());
        Assert.Single(await Docker.PeersAsync(plane.UserContainer("returning")));
    }
}
