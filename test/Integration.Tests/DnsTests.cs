using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace OrleansWg.Integration.Tests;

/// <summary>
/// Names through the tunnel, end to end: the test internet's own DNS server as the nodes'
/// upstream, each node's resolver, owg applying the session's DNS with openresolv in a client
/// namespace whose home resolver counts what it hears.
/// </summary>
public sealed class DnsTests(ITestOutputHelper output)
{
    private const string Zone = "internet.example";
    private const string BlockedQueries = "orleanswg_node_dns_blocked";

    [Fact]
    public async Task A_connected_client_resolves_names_through_the_tunnel_its_home_resolver_hears_nothing_and_disconnect_restores_its_resolv_conf()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var internet = await InternetHost.CreateAsync();
        await using var upstream = await internet.StartDnsAsync(Zone, $"www.{Zone}");
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await using var home = await HomeResolver.StartAsync(client, Zone, new Dictionary<string, string> { [$"www.{Zone}"] = "198.19.252.250" });
        await SetDns(plane, "/v1/admin/dns", new { upstreams = new[] { internet.Address }, dnssec = false, searchDomains = new[] { Zone } });
        await plane.CreateUser("alice");
        var owg = plane.Owg(client);
        var resolvConfBefore = await File.ReadAllBytesAsync(client.ResolvConf);
        var resolvedAtHome = await Resolve(client, $"www.{Zone}");
        var heardAtHome = await home.Server.QueriesAsync();

        var connect = await owg.Connect("alice");
        Assert.True(connect.ExitCode == 0, connect.Error);
        await using var capture = await UnderlayCapture.StartAsync(client);
        // By its short name: the search domain came with the session.
        var page = await client.TryAsync(null, "curl", "-fsS", "--max-time", "10", "http://www:8080/");
        var resolvedThroughTunnel = await Resolve(client, $"www.{Zone}");
        var beside = await capture.StopAsync();
        var heardWhileConnected = await home.Server.QueriesAsync() - heardAtHome;
        var upstreamHeard = await upstream.QueriesAsync();
        var disconnect = await owg.Disconnect();
        var resolvConfAfter = await File.ReadAllBytesAsync(client.ResolvConf);

        Assert.Equal("198.19.252.250", resolvedAtHome);
        Assert.True(page.ExitCode == 0, page.Error);
        Assert.Equal(InternetHost.Page, page.Output);
        Assert.Equal(internet.Address, resolvedThroughTunnel);
        Assert.Equal(0, heardWhileConnected);
        Assert.True(upstreamHeard > 0);
        Assert.Empty(beside);
        Assert.Equal(0, disconnect.ExitCode);
        Assert.Equal(resolvConfBefore, resolvConfAfter);
    }

    [Fact]
    public async Task After_the_tunnel_dies_without_owg_the_next_owg_command_restores_the_clients_resolv_conf()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await plane.CreateUser("bob");
        var owg = plane.Owg(client, new Dictionary<string, string> { ["OWG_WATCH_TICK"] = "3600" });
        var before = await File.ReadAllBytesAsync(client.ResolvConf);
        var connect = await owg.Connect("bob");
        Assert.True(connect.ExitCode == 0, connect.Error);
        var during = await File.ReadAllTextAsync(client.ResolvConf);

        // A crash: the tunnel's wireguard-go is killed, and owg is told nothing.
        await client.TryAsync(null, "pkill", "-KILL", "-f", $"wireguard-go {client.Interface}");
        await plane.WaitFor(async () => !await client.HasInterfaceAsync(), "the interface to go with its wireguard-go");
        var status = await owg.Status();

        Assert.Contains($"nameserver {ApiClient.ContainerTunnelAddress}", during);
        Assert.Equal(before, await File.ReadAllBytesAsync(client.ResolvConf));
        Assert.Contains("the interface is down", status.Output);
    }

    [Fact]
    public async Task A_blocked_name_is_nxdomain_for_its_groups_users_only_a_policy_change_reaches_connected_clients_without_a_reconnect_and_only_a_group_that_asks_has_a_query_log()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 2);
        await using var internet = await InternetHost.CreateAsync();
        await using var upstream = await internet.StartDnsAsync(Zone, $"www.{Zone}", $"ads.{Zone}", $"ok.ads.{Zone}");
        await using var alice = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await using var bob = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        foreach (var (server, group, user) in new[] { (plane.Nodes[0].ServerId, "alpha", "alice"), (plane.Nodes[1].ServerId, "beta", "bob") })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.PutAsJsonAsync($"/v1/admin/servers/{server}", new { group })).StatusCode);
            await plane.CreateUser(user);
            Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.PutAsJsonAsync($"/v1/admin/users/{user}/permissions", new { groups = new[] { group } })).StatusCode);
        }

        await SetDns(plane, "/v1/admin/groups/alpha/dns",
            new { upstreams = new[] { internet.Address }, dnssec = false, blocked = new[] { $"ads.{Zone}" }, allowed = new[] { $"ok.ads.{Zone}" }, queryLogDays = 7 });
        await SetDns(plane, "/v1/admin/groups/beta/dns", new { upstreams = new[] { internet.Address }, dnssec = false });
        foreach (var (client, user) in new[] { (alice, "alice"), (bob, "bob") })
        {
            var connect = await plane.Owg(client).Connect(user);
            Assert.True(connect.ExitCode == 0, connect.Error);
        }

        var aliceBlocked = await Resolve(alice, $"ads.{Zone}");
        var aliceSubdomainBlocked = await Resolve(alice, $"x.ads.{Zone}");
        var aliceException = await Resolve(alice, $"ok.ads.{Zone}");
        var aliceOther = await Resolve(alice, $"www.{Zone}");
        var bobAds = await Resolve(bob, $"ads.{Zone}");
        await SetDns(plane, "/v1/admin/groups/beta/dns", new { upstreams = new[] { internet.Address }, dnssec = false, blocked = new[] { $"www.{Zone}" } });
        await plane.WaitFor(async () => await Resolve(bob, $"www.{Zone}") is null, "bob's resolver to take his group's new policy");
        using var http = new HttpClient();
        await plane.WaitFor(async () => PrometheusText.Sum(await http.GetStringAsync(plane.NodeMetrics(0)), BlockedQueries, "group=\"alpha\"") >= 2,
            "node 1's resolver to count alpha's blocked queries");

        Assert.Null(aliceBlocked);
        Assert.Null(aliceSubdomainBlocked);
        Assert.Equal(internet.Address, aliceException);
        Assert.Equal(internet.Address, aliceOther);
        Assert.Equal(internet.Address, bobAds);
        Assert.Equal(internet.Address, await Resolve(alice, $"www.{Zone}"));
        Assert.Contains($" www.{Zone}. A IN", string.Concat(Directory.GetFiles(QueryLogOf(plane, 0)).Select(File.ReadAllText)));
        Assert.False(Directory.Exists(QueryLogOf(plane, 1)));
    }

    private static string QueryLogOf(ControlPlane plane, int node) =>
        Path.Combine(plane.Nodes[node].StateDirectory, $"{plane.Nodes[node].ServerId}.resolver", "queries");

    [Fact]
    public async Task A_split_tunnel_groups_client_sends_only_its_routes_and_the_resolver_into_the_tunnel()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var internet = await InternetHost.CreateAsync();
        await using var upstream = await internet.StartDnsAsync(Zone, $"www.{Zone}");
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await SetDns(plane, "/v1/admin/dns", new { upstreams = new[] { internet.Address }, dnssec = false, routes = new[] { $"{internet.Address}/32" } });
        await plane.CreateUser("carol");

        var connect = await plane.Owg(client).Connect("carol");
        var session = await plane.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/admin/sessions/{OwgClient.SessionIdOf(connect)}");
        var throughTunnel = await client.TryAsync(null, "ip", "route", "get", internet.Address);
        var beside = await client.TryAsync(null, "ip", "route", "get", "198.19.252.9");

        Assert.True(connect.ExitCode == 0, connect.Error);
        Assert.Equal($"{internet.Address}/32, {ApiClient.ContainerTunnelAddress}/32", session.GetProperty("allowedIps").GetString());
        Assert.Contains($"dev {client.Interface}", throughTunnel.Output);
        Assert.DoesNotContain($"dev {client.Interface}", beside.Output);
        Assert.True(await client.CanFetchAsync(internet.Url));
        Assert.Equal(internet.Address, await Resolve(client, $"www.{Zone}"));
    }

    [Fact]
    public async Task A_flood_of_queries_from_one_users_container_leaves_another_users_names_resolving()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var internet = await InternetHost.CreateAsync();
        await using var upstream = await internet.StartDnsAsync(Zone, $"www.{Zone}");
        await using var flooder = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await using var neighbour = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await SetDns(plane, "/v1/admin/dns", new { upstreams = new[] { internet.Address }, dnssec = false });
        foreach (var (client, user) in new[] { (flooder, "flooder"), (neighbour, "neighbour") })
        {
            await plane.CreateUser(user);
            var connect = await plane.Owg(client).Connect(user);
            Assert.True(connect.ExitCode == 0, connect.Error);
        }

        var flood = flooder.TryAsync(null, "python3", "-c", FloodScript, ApiClient.ContainerTunnelAddress, $"x.www.{Zone}", "6");
        var times = new List<double>();
        var failures = 0;
        for (var i = 0; i < 40; i++)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            failures += await Resolve(neighbour, $"www.{Zone}") is null ? 1 : 0;
            times.Add(started.Elapsed.TotalMilliseconds);
            await Task.Delay(100);
        }

        var sent = long.Parse((await flood).Output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        times.Sort();
        var p99 = times[(int)Math.Ceiling(0.99 * times.Count) - 1];
        output.WriteLine($"flood: {sent} queries in 6 s from one container; the neighbour's lookups: p50 {times[times.Count / 2]:F1} ms, p99 {p99:F1} ms, {failures} failed");

        Assert.True(sent > 10_000, $"the flood sent only {sent} queries");
        Assert.Equal(0, failures);
        Assert.True(p99 < 1000, $"the neighbour's p99 was {p99:F0} ms");
    }

    // Sends the same query (a new id each time) as fast as it can for the given seconds; prints how many it sent.
    private const string FloodScript = """
        import socket, struct, sys, time
        server, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
        question = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0\0\1\0\1"
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setblocking(False)
        sent, end = 0, time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                sock.sendto(struct.pack(">HHHHHH", sent & 0xFFFF, 0x0100, 1, 0, 0, 0) + question, (server, 53))
                sent += 1
            except BlockingIOError:
                time.sleep(0.001)
        print(sent)
        """;

    private static async Task SetDns(ControlPlane plane, string path, object policy)
    {
        var response = await plane.Admin.PutAsJsonAsync(path, policy);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    /// <returns>The name's IPv4 address as the client's resolver answers it; null when it does not resolve.</returns>
    private static async Task<string?> Resolve(ClientNamespace client, string name)
    {
        var result = await client.TryAsync(null, "getent", "ahostsv4", name);
        return result.ExitCode == 0 ? result.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0] : null;
    }
}
