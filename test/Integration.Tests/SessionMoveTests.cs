using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace OrleansWg.Integration.Tests;

/// <summary>Two real nodes; one dies or is evacuated, and its clients' sessions move to the other while owg follows.</summary>
public sealed class SessionMoveTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NodeDownAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(2);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Placement__NodeDownAfter"] = $"{NodeDownAfter:c}",
        ["Sessions__CheckPeriod"] = $"{CheckPeriod:c}",
        ["Sessions__NodeLostGrace"] = "00:00:15",
    };

    // owg's watcher, with its period shortened like the control plane's: an idle tunnel's session that ends is seen within it.
    private static readonly Dictionary<string, string> Watcher = new() { ["OWG_WATCH_PERIOD"] = "5" };

    [Fact]
    public async Task A_client_whose_node_dies_follows_its_session_to_the_other_node_with_its_address_and_the_dead_node_keeps_nothing()
    {
        await using var plane = await ControlPlane.StartAsync(Settings, nodes: 2);
        await using var internet = await InternetHost.CreateAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var (survivor, doomed) = (plane.Nodes[0], plane.Nodes[1]);
        await plane.CreateUser("mover");
        var connect = await plane.Owg(client, Watcher).ConnectTo(doomed.ServerId, "mover");
        Assert.True(connect.ExitCode == 0, connect.Error);
        var before = await client.TunnelAddressAsync();
        Assert.True(await client.CanFetchAsync(internet.Url));

        var clock = Stopwatch.StartNew();
        await plane.KillNodeMachineAsync(1);
        // The server moves its sessions as it calls its node down, not at its next scan.
        var resumed = await client.FetchesWithinAsync(internet.Url, NodeDownAfter + TimeSpan.FromSeconds(15));
        output.WriteLine($"traffic resumed {clock.Elapsed.TotalSeconds:F1} s after the node died");
        var after = await client.TunnelAddressAsync();
        var status = await plane.Owg(client).Status();
        var session = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{OwgClient.SessionIdOf(connect)}");
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(plane.SiloMetrics(0));
        await plane.ReviveNodeMachineAsync(1);
        await plane.WaitFor(async () => !(await Docker.ContainersAsync(doomed.ServerId)).Any(c => c.Name.EndsWith("-u-mover", StringComparison.Ordinal)),
            "the revived node to remove the moved session's container");

        Assert.True(resumed, "no traffic through the tunnel after the move");
        Assert.Equal(before, after);
        Assert.Contains($"active on server {survivor.ServerId}", status.Output);
        Assert.Contains("watcher: following", status.Output);
        var move = Assert.Single(session.GetProperty("moves").EnumerateArray());
        Assert.Equal((doomed.ServerId, survivor.ServerId, "node-down"),
            (move.GetProperty("from").GetString(), move.GetProperty("to").GetString(), move.GetProperty("reason").GetString()));
        Assert.Equal(2, session.GetProperty("revision").GetInt64());
        Assert.Equal(1, PrometheusText.Sample(metrics, $"orleanswg_server_node_downs{{server=\"{doomed.ServerId}\"}}"));
        Assert.True(await client.CanFetchAsync(internet.Url));
    }

    [Fact]
    public async Task Evacuating_a_server_moves_both_its_clients_which_keep_their_traffic_and_names_and_leaves_it_empty()
    {
        await using var plane = await ControlPlane.StartAsync(Settings, nodes: 2);
        await using var internet = await InternetHost.CreateAsync();
        await using var upstream = await internet.StartDnsAsync("internet.example", "www.internet.example");
        Assert.Equal(HttpStatusCode.NoContent,
            (await plane.Admin.PutAsJsonAsync("/v1/admin/dns", new { upstreams = new[] { internet.Address }, dnssec = false })).StatusCode);
        await using var first = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await using var second = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var drained = plane.Nodes[1].ServerId;
        foreach (var (client, user) in new[] { (first, "evac-a"), (second, "evac-b") })
        {
            await plane.CreateUser(user);
            Assert.Equal(0, (await plane.Owg(client, Watcher).ConnectTo(drained, user)).ExitCode);
        }

        var evacuate = await plane.Admin.PostAsync($"/v1/admin/servers/{drained}/evacuate", null);
        var answer = await evacuate.Json();
        var firstFollows = await first.FetchesWithinAsync(internet.Url, TimeSpan.FromSeconds(20));
        var secondFollows = await second.FetchesWithinAsync(internet.Url, TimeSpan.FromSeconds(20));
        var resolvesAfterTheMove = await first.TryAsync(null, "getent", "ahostsv4", "www.internet.example");
        var server = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/servers"))!.Single(s => s.GetProperty("id").GetString() == drained);

        Assert.Equal(HttpStatusCode.OK, evacuate.StatusCode);
        Assert.Equal(2, answer.GetProperty("moved").GetArrayLength());
        Assert.Equal(0, answer.GetProperty("stayed").GetArrayLength());
        Assert.True(firstFollows && secondFollows);
        Assert.StartsWith(internet.Address, resolvesAfterTheMove.Output);
        Assert.Equal(("draining", 0), (server.GetProperty("status").GetString(), server.GetProperty("sessions").GetInt32()));
    }

    [Fact]
    public async Task A_session_permitted_only_on_the_dead_node_is_not_moved_but_closes_as_node_lost_and_owg_takes_the_tunnel_down()
    {
        await using var plane = await ControlPlane.StartAsync(Settings, nodes: 2);
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var doomed = plane.Nodes[1].ServerId;
        await plane.CreateUser("bound");
        Assert.Equal(HttpStatusCode.NoContent,
            (await plane.Admin.PutAsJsonAsync("/v1/admin/users/bound/permissions", new { servers = new[] { doomed } })).StatusCode);
        var connect = await plane.Owg(client, Watcher).Connect("bound");
        Assert.True(connect.ExitCode == 0, connect.Error);

        await plane.KillNodeMachineAsync(1);
        var down = false;
        for (var attempt = 0; attempt < 60 && !down; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            down = !await client.HasInterfaceAsync();
        }

        var status = await plane.Owg(client).Status();
        var session = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{OwgClient.SessionIdOf(connect)}");
        await plane.ReviveNodeMachineAsync(1);

        Assert.True(down, "the watcher left the tunnel up");
        Assert.Equal(("closed", "node-lost", doomed), (session.GetProperty("status").GetString(), session.GetProperty("closeReason").GetString(),
            session.GetProperty("serverId").GetString()));
        Assert.Empty(session.GetProperty("moves").EnumerateArray());
        Assert.True(status.Output.Contains("took the tunnel down: the session ended (node-lost)"), status.Output + status.Error);
    }
}
