using System.Net.Http.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>The one-command client, end to end: real processes, containers, namespaces and packets.</summary>
public sealed class ClientTests
{
    [Fact]
    public async Task Owg_connect_sends_the_namespaces_traffic_out_through_the_users_container_until_owg_disconnect()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var internet = await InternetHost.CreateAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var owg = plane.Owg(client);
        await plane.CreateUser("alice");

        var before = await client.CanFetchAsync(internet.Url);
        var connect = await owg.Connect("alice");
        var during = await client.CanFetchAsync(internet.Url);
        var status = await owg.Status();
        var disconnect = await owg.Disconnect();
        var after = await client.CanFetchAsync(internet.Url);

        Assert.False(before);
        Assert.True(connect.ExitCode == 0, connect.Error);
        Assert.Matches($"^connected: server {plane.ServerId}, address 100\\.64\\.0\\.2/32, session [0-9a-f-]{{36}}\n$", connect.Output);
        Assert.True(during);
        Assert.Equal([internet.NodeSideAddress], await internet.RequestSourcesAsync());
        Assert.Matches("active on server .*last handshake [0-9]+ s ago", status.Output);
        Assert.Equal(0, disconnect.ExitCode);
        Assert.Contains("session has ended", disconnect.Output);
        Assert.False(after);
        Assert.False(await client.HasInterfaceAsync());
    }

    [Fact]
    public async Task Two_users_connected_at_once_reach_neither_each_others_tunnel_address_nor_container()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var alice = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await using var bob = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await plane.CreateUser("alice");
        await plane.CreateUser("bob");
        foreach (var (client, user) in new[] { (alice, "alice"), (bob, "bob") })
        {
            var connect = await plane.Owg(client).Connect(user);
            Assert.True(connect.ExitCode == 0, connect.Error);
        }

        var bobTunnelAddress = (await plane.ConnectedAddressesAsync("bob")).Single();
        var bobContainerAddress = (await Command.Run("docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
            plane.UserContainer("bob"))).Trim();

        Assert.True(await Pings(alice, ApiClient.ContainerTunnelAddress));
        Assert.False(await Pings(alice, bobTunnelAddress));
        Assert.False(await Pings(alice, bobContainerAddress));
        Assert.True(await Pings(bob, ApiClient.ContainerTunnelAddress));
    }

    [Fact]
    public async Task A_wrong_password_a_locked_user_and_a_gateway_that_is_down_each_give_one_line_and_leave_no_interface()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var owg = plane.Owg(client);
        await plane.CreateUser("carol");

        var wrong = await owg.Connect("carol", "not the password");
        for (var attempt = 1; attempt < 5; attempt++)
        {
            await owg.Connect("carol", "not the password");
        }

        var locked = await owg.Connect("carol");
        var down = await new OwgClient(client, $"http://{ControlPlane.NodePublicAddress}:9").Connect("carol");

        Assert.Equal((1, "owg: wrong user name or password\n"), (wrong.ExitCode, wrong.Error));
        Assert.Equal(1, locked.ExitCode);
        Assert.Matches("^owg: too many wrong passwords: this address is locked out of this user; try again in [0-9]+ seconds\n$", locked.Error);
        Assert.Equal((1, $"owg: the gateway cannot be reached at http://{ControlPlane.NodePublicAddress}:9\n"), (down.ExitCode, down.Error));
        Assert.False(await client.HasInterfaceAsync());
    }

    [Fact]
    public async Task Disconnect_with_the_gateway_down_still_takes_the_tunnel_down_and_says_so()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var owg = plane.Owg(client);
        await plane.CreateUser("dave");
        var connect = await owg.Connect("dave");
        Assert.True(connect.ExitCode == 0, connect.Error);

        await plane.StopGatewayAsync();
        var disconnect = await owg.Disconnect();

        Assert.Equal(0, disconnect.ExitCode);
        Assert.Contains("the gateway could not be reached", disconnect.Output);
        Assert.False(await client.HasInterfaceAsync());
    }

    [Fact]
    public async Task A_new_password_ends_the_session_the_tunnel_stops_and_owg_status_says_why()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var internet = await InternetHost.CreateAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var owg = plane.Owg(client);
        await plane.CreateUser("erin");
        var connect = await owg.Connect("erin");
        Assert.True(connect.ExitCode == 0, connect.Error);
        Assert.True(await client.CanFetchAsync(internet.Url));

        var change = await plane.Admin.PutAsJsonAsync("/v1/admin/users/erin/password", new { password = "a brand new password" });
        var status = await owg.Status();

        Assert.Equal(System.Net.HttpStatusCode.NoContent, change.StatusCode);
        Assert.Contains("closed (credentials-changed)", status.Output);
        Assert.False(await client.CanFetchAsync(internet.Url));
    }

    private static async Task<bool> Pings(ClientNamespace client, string address) =>
        (await client.TryAsync(null, "ping", "-c", "2", "-W", "2", "-i", "0.2", address)).ExitCode == 0;
}
