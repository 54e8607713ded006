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

    private static readonly Dictionary<string, string> Watcher = new() { ["OWG_WATCH_PERIOD"] = "2", ["OWG_WATCH_TICK"] = "1" };

    private static readonly string[] Settings =
    [
        $"OWG_CLUSTER_NAME={Name}", "OWG_CLUSTER_NET=198.18.98", $"OWG_CLUSTER_NODE_ADDRESS={NodeAddress}",
        "OWG_CLUSTER_NODE_SUBNET=198.18.99.0/24", "OWG_CLUSTER_NODE_PORT_MIN=53000", "OWG_CLUSTER_NODE_PORT_MAX=53999",
        $"OWG_CLUSTER_HTTP_PORT={HttpPort}",
    ];

    [Fact]
    public async Task The_compose_cluster_gives_each_container_only_its_secrets_and_settings_resolves_names_survives_a_killed_silo_restores_a_backup_and_down_leaves_nothing()
    {
        var composeEnv = Path.Combine(Path.GetTempPath(), $"{Name}-{Guid.NewGuid():N}.env");
        var backup = Path.Combine(Path.GetTempPath(), $"{Name}-{Guid.NewGuid():N}.dump");
        try
        {
            // init makes what compose needs and writes the variables it reads; a setting beyond them goes in the service's settings file.
            var init = await Cluster($"OWG_COMPOSE_ENV={composeEnv}", "init");
            Assert.True(init.ExitCode == 0, init.Output + init.Error);
            var config = await Command.Try("docker-compose", null, "-f", Path.Combine(Repository.Root, "docker", "compose.yaml"), "--env-file", composeEnv, "config");
            Assert.True(config.ExitCode == 0 && !config.Error.Contains("is not set", StringComparison.Ordinal), config.Error);
            Assert.Contains($"COMPOSE_PROJECT_NAME={Name}\n", await File.ReadAllTextAsync(composeEnv), StringComparison.Ordinal);
            await File.AppendAllTextAsync($"/var/lib/orleanswg/{Name}/settings/gateway.env", "Gateway__SessionLookupBurst=5000\n");

            var up = await Cluster("up");
            Assert.True(up.ExitCode == 0, up.Output + up.Error);
            await AssertEachContainerHoldsOnlyItsOwnSecrets();
            Assert.Contains("Gateway__SessionLookupBurst=5000", await Command.Run("docker", "inspect", "--format", "{{json .Config.Env}}", $"{Name}_gateway_1"), StringComparison.Ordinal);
            Assert.DoesNotContain("Gateway__SessionLookupBurst", await Command.Run("docker", "inspect", "--format", "{{json .Config.Env}}", $"{Name}_silo1_1"), StringComparison.Ordinal);
            var certificate = $"/var/lib/orleanswg/{Name}/pki/web.pem";
            using var admin = new HttpClient(GatewayTrust.Handler(certificate)) { BaseAddress = new Uri($"https://127.0.0.1:{HttpPort}") };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Bearer", (await File.ReadAllTextAsync($"/var/lib/orleanswg/{Name}/owner-token")).Trim());
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
            var backedUp = await Cluster("backup", backup);
            Assert.True(backedUp.ExitCode == 0, backedUp.Output + backedUp.Error);

            await Command.Run("docker", "kill", $"{Name}_silo2_1");
            var bobConnect = await new OwgClient(bob, gateway, certificate, settings: Watcher).Connect("bob");

            Assert.True(bobConnect.ExitCode == 0, bobConnect.Error);
            Assert.True(await bob.CanFetchAsync(internet.Url));
            Assert.True(await alice.CanFetchAsync(internet.Url));

            // The backup knows alice's session and not bob's, which the node and bob's owg end; the killed silo starts again.
            var restored = await Cluster("restore", backup);
            Assert.True(restored.ExitCode == 0, restored.Output + restored.Error);
            var bobDown = false;
            for (var attempt = 0; attempt < 60 && !(bobDown = !await bob.HasInterfaceAsync()); attempt++)
            {
                await Task.Delay(500);
            }

            Assert.True(bobDown, "bob's owg kept the tunnel of a session the restored cluster does not know");
            Assert.True(await alice.CanFetchAsync(internet.Url));
            Assert.Equal(3, (await Lines("docker", "ps", "-q", "--filter", $"label=com.docker.compose.project={Name}", "--filter", "name=silo")).Length);
        }
        finally
        {
            File.Delete(composeEnv);
            File.Delete(backup);
            await SaveLogsAsync();
            var down = await Cluster("down");
            // The settings are the operator's, and down keeps them: this test's go with it.
            Directory.Delete($"/var/lib/orleanswg/{Name}/settings", recursive: true);
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

        Assert.Equal((2, "usage: scripts/cluster.sh init | up | down [--keep-data] | status | demo | backup FILE | restore FILE\n"), (wrong.ExitCode, wrong.Error));
        Assert.Equal(wrong.Error, extra.Error);
    }

    /// <summary>
    /// The secret files of the installation (keys, credentials, passwords, tokens) by service: each
    /// container has exactly its own, in no environment variable or command line, and none has the CA's key.
    /// </summary>
    private static async Task AssertEachContainerHoldsOnlyItsOwnSecrets()
    {
        var state = $"/var/lib/orleanswg/{Name}";
        var secrets = new Dictionary<string, string>
        {
            ["ca.key"] = "pki/ca.key", ["silo.key"] = "pki/silo.key", ["silo.credential"] = "pki/silo.credential",
            ["gateway.key"] = "pki/gateway.key", ["gateway.credential"] = "pki/gateway.credential", ["web.key"] = "pki/web.key",
            ["node-ca.key"] = "pki/node-ca.key", ["node-join-token"] = "node-join-token",
            ["db-owner-password"] = "db-owner-password", ["db-silo-password"] = "db-silo-password",
            ["bootstrap-token"] = "bootstrap-token", ["session-seal-key"] = "session-seal-key",
        };
        var contents = secrets.ToDictionary(s => s.Key, s => File.ReadAllText(Path.Combine(state, s.Value)));
        var hashes = contents.ToDictionary(s => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s.Value))), s => s.Key);
        var silo = new[] { "silo.key", "silo.credential", "node-ca.key", "db-silo-password" };
        var expected = new Dictionary<string, string[]>
        {
            ["postgres"] = ["db-owner-password", "db-silo-password"], ["schema"] = ["db-owner-password"],
            ["silo1"] = silo, ["silo2"] = silo, ["silo3"] = silo,
            ["gateway"] = ["gateway.key", "gateway.credential", "web.key", "bootstrap-token", "session-seal-key"],
            ["nodehost"] = ["node-join-token"],
        };

        var containers = await Lines("docker", "ps", "-a", "--format", "{{.Names}} {{.Label \"com.docker.compose.service\"}} {{.State}}",
            "--filter", $"label=com.docker.compose.project={Name}");
        Assert.Equal(expected.Keys.Order(), containers.Select(line => line.Split(' ')[1]).Order());
        foreach (var (container, service, running) in containers.Select(line => line.Split(' ')).Select(f => (f[0], f[1], f[2] == "running")))
        {
            // What the container was given: its mounts' host files, its environment and its command line.
            var mounted = (await Lines("docker", "inspect", "--format", "{{range .Mounts}}{{println .Source}}{{end}}", container))
                .Select(source => secrets.FirstOrDefault(s => Path.Combine(state, s.Value) == source).Key).OfType<string>().Order();
            Assert.Equal(expected[service].Order(), mounted);
            var configuration = await Command.Run("docker", "inspect", "--format", "{{json .Config.Env}} {{json .Config.Cmd}} {{json .Args}}", container);
            Assert.DoesNotContain(contents, secret => configuration.Contains(secret.Value.Trim(), StringComparison.Ordinal));
            if (running)
            {
                // What is in it, wherever it came from: every small file's hash against the secrets'.
                var files = await Command.Run("docker", "exec", container, "sh", "-c",
                    "find / \\( -path /proc -o -path /sys -o -path /dev -o -path /run/docker.sock \\) -prune -o -type f -size -8k -print0 | xargs -0 sha256sum");
                var found = files.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0])
                    .Where(hashes.ContainsKey).Select(hash => hashes[hash]).Distinct().Order();
                Assert.Equal(expected[service].Order(), found);
            }
        }
    }

    /// <summary>Runs scripts/cluster.sh with this test's stack settings; an up builds images, so it may take minutes.</summary>
    /// <param name="arguments">The command, after any settings of this run's own (NAME=VALUE).</param>
    private static Task<CommandResult> Cluster(params string[] arguments) =>
        Command.Try("env", null, TimeSpan.FromMinutes(8),
            [.. Settings, .. arguments.TakeWhile(a => a.Contains('=')), Path.Combine(Repository.Root, "scripts", "cluster.sh"), .. arguments.SkipWhile(a => a.Contains('='))]);

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
