using System.Net;

namespace OrleansWg.Integration.Tests;

[Collection(ControlPlaneCollection.Name)]
public sealed class NodeContainerTests(ControlPlaneFixture fixture)
{
    private readonly ControlPlane plane = fixture.Plane;
    private readonly string user = $"c{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task A_new_users_connect_creates_exactly_one_container_and_a_second_session_joins_it_as_a_peer()
    {
        await plane.CreateUser(user);

        var first = await plane.ConnectOk(user);
        var afterFirst = (await Docker.ContainersAsync(plane.ServerId)).Where(c => c.Name.EndsWith($"-u-{user}")).ToList();
        var second = await plane.ConnectOk(user);
        var afterSecond = (await Docker.ContainersAsync(plane.ServerId)).Where(c => c.Name.EndsWith($"-u-{user}")).ToList();

        Assert.Equal(plane.UserContainer(user), Assert.Single(afterFirst).Name);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(first.GetProperty("endpoint").GetString(), second.GetProperty("endpoint").GetString());
        Assert.Equal(first.GetProperty("serverPublicKey").GetString(), second.GetProperty("serverPublicKey").GetString());
        Assert.Equal(2, (await Docker.PeersAsync(plane.UserContainer(user))).Count);
    }

    [Fact]
    public async Task A_client_with_the_returned_config_completes_a_handshake_and_pings_its_container()
    {
        await plane.CreateUser(user);
        var session = await plane.ConnectOk(user);
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);

        await client.BringUpAsync(session.GetProperty("config").GetString()!, session.GetProperty("address").GetString()!,
            ApiClient.ContainerTunnelAddress);

        Assert.True(await client.PingAsync(ApiClient.ContainerTunnelAddress));
        Assert.True(await client.HasHandshakeAsync());
    }

    [Fact]
    public async Task A_users_container_has_its_containerd_shim_in_the_idle_cpu_cgroup()
    {
        await plane.CreateUser(user);
        await plane.ConnectOk(user);

        Assert.True(await Docker.ShimIsInIdleCgroupAsync(plane.UserContainer(user)));
    }

    [Fact]
    public async Task Disconnecting_the_last_session_removes_the_container()
    {
        await plane.CreateUser(user);
        var first = await plane.ConnectOk(user);
        var second = await plane.ConnectOk(user);

        await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, first));
        var peersAfterFirst = await Docker.PeersAsync(plane.UserContainer(user));
        var deleteLast = await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, second));
        var afterLast = await Docker.ContainersAsync(plane.ServerId);

        Assert.Single(peersAfterFirst);
        Assert.Equal(HttpStatusCode.NoContent, deleteLast.StatusCode);
        Assert.DoesNotContain(afterLast, c => c.Name == plane.UserContainer(user));
    }
}
