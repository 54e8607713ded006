using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>Three real NodeHosts on one dockerd, each on its own address, network and port range.</summary>
public sealed class MultiNodeTests
{
    [Fact]
    public async Task Thirty_users_without_permissions_spread_ten_and_ten_and_ten_and_every_tunnel_pings()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 3);
        var sessions = new List<JsonElement>();
        for (var i = 0; i < 30; i++)
        {
            await plane.CreateUser($"spread{i}");
            sessions.Add(await plane.ConnectOk($"spread{i}"));
        }

        var perServer = sessions.GroupBy(s => s.GetProperty("server").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(plane.Nodes.Select(n => n.ServerId).Order(), perServer.Keys.Order());
        Assert.All(perServer.Values, count => Assert.InRange(count, 8, 12));
        foreach (var session in sessions)
        {
            await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);
            await client.BringUpAsync(session.GetProperty("config").GetString()!, session.GetProperty("address").GetString()!,
                ApiClient.ContainerTunnelAddress);
            Assert.True(await client.PingAsync(ApiClient.ContainerTunnelAddress), $"no ping through {session.GetProperty("endpoint")}");
        }
    }

    [Fact]
    public async Task A_user_permitted_only_the_third_node_always_lands_there_and_asking_for_the_first_is_forbidden()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 3);
        var third = plane.Nodes[2].ServerId;
        await plane.CreateUser("picky");
        await plane.Admin.PutAsJsonAsync("/v1/admin/users/picky/permissions", new { servers = new[] { third } });

        var servers = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            servers.Add((await plane.ConnectOk("picky")).GetProperty("server").GetString());
        }

        var forbidden = await plane.Http.PostAsJsonAsync("/v1/connect",
            new { username = "picky", password = ApiClient.Password, server = plane.Nodes[0].ServerId });

        Assert.All(servers, server => Assert.Equal(third, server));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var profile = await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/users/picky");
        Assert.All(profile.GetProperty("sessions").EnumerateArray(), s => Assert.Equal(third, s.GetProperty("serverId").GetString()));
    }

    [Fact]
    public async Task A_node_with_capacity_five_never_holds_more_than_five_under_twenty_concurrent_connects()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 1);
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.PutAsJsonAsync($"/v1/admin/servers/{plane.ServerId}", new { capacity = 5 })).StatusCode);
        var users = Enumerable.Range(0, 20).Select(i => $"crowd{i}").ToList();
        foreach (var user in users)
        {
            await plane.CreateUser(user);
        }

        var answers = await Task.WhenAll(users.Select(user => plane.Connect(user)));

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(15, answers.Count(a => a.StatusCode == HttpStatusCode.ServiceUnavailable));
        var server = (await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/servers"))[0];
        Assert.Equal((5, 5), (server.GetProperty("sessions").GetInt32(), server.GetProperty("capacity").GetInt32()));
        Assert.Equal(5, (await Docker.ContainersAsync(plane.ServerId)).Count);
    }

    [Fact]
    public async Task New_sessions_avoid_a_drained_node_while_its_live_session_keeps_working()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 3);
        var second = plane.Nodes[1].ServerId;
        await plane.CreateUser("resident");
        var resident = await plane.Http.PostAsJsonAsync("/v1/connect", new { username = "resident", password = ApiClient.Password, server = second });
        var session = await resident.Json();

        await plane.Admin.PostAsync($"/v1/admin/servers/{second}/drain", null);
        var newcomers = new List<string?>();
        for (var i = 0; i < 6; i++)
        {
            await plane.CreateUser($"newcomer{i}");
            newcomers.Add((await plane.ConnectOk($"newcomer{i}")).GetProperty("server").GetString());
        }

        Assert.DoesNotContain(second, newcomers);
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);
        await client.BringUpAsync(session.GetProperty("config").GetString()!, session.GetProperty("address").GetString()!,
            ApiClient.ContainerTunnelAddress);
        Assert.True(await client.PingAsync(ApiClient.ContainerTunnelAddress));
    }
}
