using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>
/// scripts/cluster.sh and docker/compose.yaml as a person uses them, as a stack of its own beside
/// any that scripts/run.sh or a developer's cluster.sh runs (other name, networks, addresses, ports).
/// </summary>
public sealed class ComposeClusterTests
{
    private const string Name = "owg-cluster-test";
    private const string NodeAddress = "198.18.7.1";
    private const int HttpPort = 8091;

    private static readonly string[] Settings =
    [
        $"OWG_CLUSTER_NAME={Name}", "OWG_CLUSTER_NET=198.18.98", $"OWG_CLUSTER_NODE_ADDRESS={NodeAddress}",
        "OWG_CLUSTER_NODE_SUBNET=198.18.99.0/24", "OWG_CLUSTER_NODE_PORT_MIN=53000", "OWG_CLUSTER_NODE_PORT_MAX=53999",
        $"OWG_CLUSTER_HTTP_PORT={HttpPort}",
    ];

    [Fact]
    public async Task The_compose_cluster_resolves_names_keeps_a_tunnel_and_takes_connects_after_a_silo_container_is_killed_and_down_leaves_nothing()
    {
        try
        {
            var up = await Cluster("up");
            Assert.True(up.ExitCode == 0, up.Output + up.Error);
            var certificate = $"/var/lib/orleanswg/{Name}/pki/web.pem";
            using var admin = new HttpClient(GatewayTrust.Handler(certificate)) { BaseAddress = new Uri($"https://127.0.0.1:{HttpPort}") };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Bearer", (await File.ReadAllTextAsync($"/var/lib/orleanswg/{Name}/admin-token")).Trim());
            foreach (var user in new[] { "alice", "bob" })
            {
                var created = await admin.PostAsJsonAsync("/v1/admin/users", new { username = user, password = ApiClient.Password });
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            }

            await using var internet = await InternetHost.CreateAsync();
            await using var upstream = await internet.StartDnsAsync("internet.example", "www.internet.example");
            var dns = await admin.PutAsJsonAsync("/v1/admin/dns", new { upstreams = new[] { internet.Address }, dnssec = false });
            Assert.True(dns.IsSuccessStatusCode, await dns.Content.ReadAsStringAsync());
            await using var alice = await ClientNamespace.CreateAsync($"{NodeAddress}/32", withWireGuard: false);
            await using var bob = await ClientNamespace.CreateAsync($"{NodeAddress}/32", withWireGuard: false);
            var gateway = $"https://{NodeAddress}:{HttpPort}";
            var aliceConnect = await new OwgClient(alice, gateway, certificate).Connect("alice");
            Assert.True(aliceConnect.ExitCode == 0, aliceConnect.Error);
            Assert.True(await alice.CanFetchAsync(internet.Url));
            // By name: the NodeHost's resolver runs in its container too, once it has taken the policy.
            var byName = false;
            for (var attempt = 0; attempt < 20 && !(byName = await alice.CanFetchAsync("http://www.internet.example:8080/")); attempt++)
            {
                await Task.Delay(500);
            }

            Assert.True(byName);

            await Command.Run("docker", "kill", $"{Name}_silo2_1");
            var bobConnect = await new OwgClient(bob, gateway, certificate).Connect("bob");

            Assert.True(bobConnect.ExitCode == 0, bobConnect.Error);
            Assert.True(await bob.CanFetchAsync(internet.Url));
            Assert.True(await alice.CanFetchAsync(internet.Url));
        }
        finally
        {
            await SaveLogsAsync();
            var down = await Cluster("down");
            Assert.True(down.ExitCode == 0, down.Output + down.Error);
        }

        Assert.Empty(await Lines("docker", "ps", "-aq", "--filter", $"label=com.docker.compose.project={Name}"));
        Assert.Empty(await Lines("docker", "ps", "-aq", "--filter", $"label=owg.node={Name}-node"));
        Assert.Empty(await Lines("docker", "network", "ls", "-q", "--filter", $"name={Name}"));
        Assert.Empty(await Lines("docker", "volume", "ls", "-q", "--filter", $"name={Name}"));
    }

    [Fact]
    public async Task Cluster_sh_answers_a_wrong_command_with_one_line_of_usage()
    {
        var wrong = await Cluster("sideways");
        var extra = await Cluster("down", "--keep-everything");

        Assert.Equal((2, "usage: scripts/cluster.sh up | down [--keep-data] | status | demo\n"), (wrong.ExitCode, wrong.Error));
        Assert.Equal(wrong.Error, extra.Error);
    }

    /// <summary>Runs scripts/cluster.sh with this test's stack settings; an up builds images, so it may take minutes.</summary>
    private static Task<CommandResult> Cluster(params string[] arguments) =>
        Command.Try("env", null, TimeSpan.FromMinutes(8), [.. Settings, Path.Combine(Repository.Root, "scripts", "cluster.sh"), .. arguments]);

    /// <summary>Keeps each of the stack's containers' logs in the test logs: down removes the containers.</summary>
    private static async Task SaveLogsAsync()
    {
        foreach (var name in await Lines("docker", "ps", "-a", "--format", "{{.Names}}", "--filter", $"label=com.docker.compose.project={Name}"))
        {
            var logs = await Command.Try("docker", null, "logs", "--timestamps", name);
            await File.WriteAllTextAsync(Repository.LogPath($"{name}.log"), logs.Output + logs.Error);
        }
    }

    private static async Task<string[]> Lines(string fileName, params string[] arguments) =>
        (await Command.Run(fileName, arguments)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
