using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace OrleansWg.TestStack;

/// <summary>
/// The real Silo, Gateway and one or more NodeHosts as processes, on a real PostgreSQL database
/// and the machine's dockerd. Processes can be stopped, killed and started again on the same
/// database; at the end every process, container, network and host change of the plane is removed.
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    /// <summary>The secret that makes the plane's first owner, <see cref="Owner"/>, which the plane does at its first start.</summary>
    public const string BootstrapToken = "integration-bootstrap-token";

    /// <summary>The plane's first owner, whose token <see cref="Admin"/> sends.</summary>
    public const string Owner = "owner";

    public const string OwnerPassword = "integration-owner-password";

    /// <summary>The first node's public address, where the Gateway listens for client namespaces too.</summary>
    public const string NodePublicAddress = "198.18.5.1";

    /// <summary>Node N has 198.18.5.N: a client namespace routes this network to reach every node.</summary>
    public const string NodeAddresses = "198.18.5.0/24";

    public const string ContainerSubnet = "198.18.64.0/24";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string clusterId = $"owg-test-{Guid.NewGuid():N}"[..20];

    /// <summary>The plane's cluster id (its service id is the default, owg).</summary>
    public string ClusterId => clusterId;
    private readonly Dictionary<string, string> settings;
    private readonly List<NodeUnderlay> underlays = [];

    // The Gateway's address for clients, which a plane without nodes needs too.
    private LoopbackAddress? gatewayAddress;
    private readonly ChildProcess?[] silos;
    private readonly int[] siloGatewayPorts;
    private readonly int[] siloPorts;
    private readonly HashSet<string> enrolled = [];
    private readonly int[] siloMetricsPorts;
    private readonly int[] nodeMetricsPorts;
    private ChildProcess? gateway;
    private ChildProcess?[] nodes;

    private ControlPlane(
        TestDatabase database, int nodeCount, int siloCount, bool largeNodes, Dictionary<string, string> extraSettings, string nodePrefix, int firstNode,
        string gatewayHost)
    {
        GatewayHost = gatewayHost;
        Database = database;
        nodes = new ChildProcess?[nodeCount];
        silos = new ChildProcess?[siloCount];
        siloGatewayPorts = new int[siloCount];
        siloPorts = new int[siloCount];
        siloMetricsPorts = new int[siloCount];
        nodeMetricsPorts = new int[nodeCount];
        Nodes = [.. Enumerable.Range(1, nodeCount).Select(n => TestNode.Numbered($"{nodePrefix}-{n}", firstNode + n - 1, largeNodes))];
        settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Orleans"] = database.ConnectionString,
            ["Cluster__ClusterId"] = clusterId,
            ["Gateway__BootstrapToken"] = BootstrapToken,
            ["Gateway__SessionSealKeys__0"] = "integration-session-seal-key-of-32-characters",
            ["Users__SecretKeys__0"] = "integration-mfa-secret-key-of-32-characters",
            ["Kestrel__Certificates__Default__Path"] = GatewayCertificate,
            ["Kestrel__Certificates__Default__KeyPath"] = Path.Combine(Pki.Directory, "web.key"),
            ["Reminders__MinimumReminderPeriod"] = "00:00:01",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Node__HeartbeatInterval"] = "00:00:01",
            ["Node__ReconcileInterval"] = "00:00:01",
            ["Node__WarmPoolSize"] = "0",
            ["Node__WarmPoolMax"] = "0",
            // Most tests follow a container's life with its user's sessions; the linger has tests of its own.
            ["Placement__ContainerLinger"] = "00:00:00",
            // Tests log in and look at sessions from one address far more often than people do.
            ["Gateway__LoginBurst"] = "1000000",
            ["Gateway__SessionLookupBurst"] = "1000000",
            ["Gateway__FailedLoginBurst"] = "1000000",
            ["Gateway__FailedLoginsPerSecond"] = "1000000",
            // The nodes' resolvers forward to loopback, where unbound never sends a query: a test that
            // wants names resolved gives the plane an upstream of its own (a DnsServer), and nothing else leaves.
            ["Dns__Upstreams"] = "127.0.0.1",
        };
        foreach (var (key, value) in extraSettings)
        {
            settings[key] = value;
        }

        (Http, Admin, GatewayUrlForClients) = GatewayPorts();
    }

    /// <summary>
    /// New ports for the Gateway, in <see cref="settings"/>: HTTPS on the node's address, which client
    /// namespaces have a route to; plain HTTP on loopback only, for the tests' own requests.
    /// </summary>
    /// <returns>Clients of the Gateway on them, and its URL for clients.</returns>
    private (HttpClient Http, HttpClient Admin, string ForClients) GatewayPorts()
    {
        var httpPort = FreePort.Next();
        var httpsPort = FreePort.Next();
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort};https://{GatewayHost}:{httpsPort}";
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        return (http, new HttpClient { BaseAddress = http.BaseAddress, Timeout = http.Timeout }, $"https://{GatewayHost}:{httpsPort}");
    }

    /// <summary>The address the Gateway's HTTPS listens on and its certificate names (on loopback): <see cref="NodePublicAddress"/> unless given.</summary>
    public string GatewayHost { get; }

    /// <summary>The source tree whose build the plane starts its processes from: this repository's, or another version's.</summary>
    public string BuildRoot { get; set; } = Repository.Root;

    /// <summary>The plane's own cluster CA, and a certificate and role credential for each of its processes.</summary>
    public Pki Pki { get; } = Pki.Create();

    /// <summary>The plane's nodes; their server ids are fresh for every plane, so no two planes share a container name.</summary>
    public IReadOnlyList<TestNode> Nodes { get; }

    /// <summary>The plane's running processes by name (Gateway, silo-N, and each node's server id), for CPU accounting.</summary>
    public IEnumerable<(string Name, int Id)> Processes =>
        silos.Select((silo, index) => (Name: $"silo-{index}", Process: silo))
            .Append((Name: "Gateway", Process: gateway))
            .Concat(nodes.Select((node, index) => (Name: Nodes[index].ServerId, Process: node)))
            .Where(p => p.Process is not null)
            .Select(p => (p.Name, p.Process!.Id));

    /// <summary>The first node's server id.</summary>
    public string ServerId => Nodes[0].ServerId;

    public TestDatabase Database { get; }

    /// <summary>The Gateway's HTTPS certificate (self-signed), which clients are told to trust.</summary>
    public string GatewayCertificate => Path.Combine(Pki.Directory, "web.pem");

    /// <summary>The Gateway as a client namespace reaches it: HTTPS.</summary>
    public string GatewayUrlForClients { get; private set; }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Http { get; private set; }

    /// <summary>A client that sends <see cref="OwnerToken"/>.</summary>
    public HttpClient Admin { get; private set; }

    /// <summary>The owner's token that the plane's bootstrap answered.</summary>
    public string OwnerToken { get; private set; } = "";

    /// <param name="postgres">The PostgreSQL server for the plane's database; scripts/test.sh's when null.</param>
    /// <param name="largeNodes">Nodes with room for a thousand containers (addresses and ports), for the scale benchmark.</param>
    /// <param name="nodePrefix">The nodes' server ids before -1, -2...; a random one when null.</param>
    /// <param name="firstNode">The underlay number of the first node (its address, subnet and ports): another plane beside this one takes others.</param>
    /// <param name="gatewayHost">The Gateway's HTTPS address: a plane without nodes beside other planes takes another one.</param>
    public static async Task<ControlPlane> StartAsync(
        Dictionary<string, string>? extraSettings = null, int nodes = 1, int silos = 1, string? postgres = null, bool largeNodes = false,
        string? nodePrefix = null, int firstNode = 1, string gatewayHost = NodePublicAddress)
    {
        var plane = new ControlPlane(await TestDatabase.CreateAsync(postgres), nodes, silos, largeNodes, extraSettings ?? [],
            nodePrefix ?? $"n{Guid.NewGuid():N}"[..7], firstNode, gatewayHost);
        try
        {
            await plane.Pki.MemberAsync("silo", "silo");
            await plane.Pki.WebAsync(gatewayHost);
            await plane.Pki.MemberAsync("gateway", "gateway");
            plane.gatewayAddress = await LoopbackAddress.AddAsync(gatewayHost);
            foreach (var node in plane.Nodes)
            {
                plane.underlays.Add(await NodeUnderlay.CreateAsync(plane.clusterId, node.ServerId, node.PublicAddress, node.ContainerSubnet));
            }

            await plane.StartProcessesAsync();
            return plane;
        }
        catch
        {
            await plane.DisposeAsync();
            throw;
        }
    }

    public async Task StartProcessesAsync()
    {
        for (var index = 0; index < silos.Length; index++)
        {
            StartSilo(index);
        }

        await StartGatewayAsync();
        // The Gateway needs one silo; a test that stops the database or a silo needs every silo to have joined.
        await WaitForEverySiloAsync();
        for (var index = 0; index < Nodes.Count; index++)
        {
            await StartNodeAsync(index);
        }
    }

    /// <summary>Waits until as many silos are active in the membership table as the plane has.</summary>
    public Task WaitForEverySiloAsync() => WaitFor(async () => await Database.Scalar<long>(
            $"SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = '{clusterId}' AND status = 3") >= silos.Length,
        "every silo to join the cluster");

    /// <summary>The silos' gateway endpoints, as a node is given them: it joins through them, with no database login.</summary>
    public IEnumerable<string> SiloGateways => siloGatewayPorts.Where(port => port > 0).Select(port => $"{SiloAddress}:{port}");

    /// <summary>The address the silos listen on and advertise: loopback, unless the plane was given Silo__AdvertisedAddress.</summary>
    private string SiloAddress => settings.GetValueOrDefault("Silo__AdvertisedAddress", "127.0.0.1");

    public async Task StartNodeAsync(int index = 0)
    {
        var node = Nodes[index];
        // Taken just before the start, as the silos' ports are: a free port found earlier may be a connection's by now.
        nodeMetricsPorts[index] = FreePort.Next();
        if (enrolled.Add(node.ServerId))
        {
            // An admin makes the server first, as the node's settings say; placement goes by this, not by its node.
            var made = await Admin.PutAsJsonAsync($"/v1/admin/servers/{node.ServerId}", new
            {
                group = settings.GetValueOrDefault("Node__Group"),
                capacity = int.Parse(settings.GetValueOrDefault("Node__Capacity", "100"), CultureInfo.InvariantCulture),
                publicAddress = node.PublicAddress,
            });
            made.EnsureSuccessStatusCode();
        }

        // A node with no identity yet enrolls with a join token, as an operator's would; one that has, keeps it.
        var identity = new Dictionary<string, string>();
        if (!System.IO.Directory.Exists(Path.Combine(node.StateDirectory, $"{node.ServerId}.identity")))
        {
            identity["Node__JoinToken"] = await JoinTokenAsync(node.ServerId);
        }

        var joining = SiloGateways.Select((gateway, i) => ($"Cluster__Gateways__{i}", gateway)).ToDictionary();
        var started = DateTimeOffset.UtcNow;
        nodes[index] = Start("NodeHost", node.ServerId, new Dictionary<string, string>(joining.Concat(identity))
        {
            ["Node__EnrollUrl"] = GatewayUrlForClients,
            ["Node__GatewayCertificate"] = GatewayCertificate,
            ["Node__ServerId"] = node.ServerId,
            ["Node__PublicAddress"] = node.PublicAddress,
            ["Node__ContainerSubnet"] = node.ContainerSubnet,
            ["Node__StateDirectory"] = node.StateDirectory,
            ["Node__PortMin"] = $"{node.PortMin}",
            ["Node__PortMax"] = $"{node.PortMax}",
            ["Metrics__Port"] = $"{nodeMetricsPorts[index]}",
        });
        // Heard since this start: until then its server may hold the agent of the node's run before.
        await WaitFor(async () => (await Admin.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/v1/admin/servers"))!.Any(server =>
                server.GetProperty("id").GetString() == node.ServerId && server.GetProperty("status").GetString() == "up"
                && server.GetProperty("lastSeen").ValueKind == System.Text.Json.JsonValueKind.String && server.GetProperty("lastSeen").GetDateTimeOffset() > started),
            $"node {node.ServerId} to register");
    }

    /// <summary>A join token for server <paramref name="serverId"/>'s node, as an admin gets one.</summary>
    public async Task<string> JoinTokenAsync(string serverId)
    {
        var issued = await Admin.PostAsync($"/v1/admin/servers/{serverId}/join-token", null);
        issued.EnsureSuccessStatusCode();
        return (await issued.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Sets (or, with null, removes) a setting of the processes started from now on: a Gateway restarted after it, for one.</summary>
    public void SetSetting(string key, string? value)
    {
        if (value is null)
        {
            settings.Remove(key);
        }
        else
        {
            settings[key] = value;
        }
    }

    /// <summary>Starts silo <paramref name="index"/> (again); every silo has ports of its own.</summary>
    /// <param name="samePorts">On the ports it had, where the running nodes joined it: they find it again.</param>
    public void StartSilo(int index, bool samePorts = false)
    {
        if (!samePorts)
        {
            siloGatewayPorts[index] = FreePort.Next();
            siloMetricsPorts[index] = FreePort.Next();
            siloPorts[index] = FreePort.Next();
        }

        silos[index] = Start("Silo", $"silo-{index}", new Dictionary<string, string>
        {
            ["Silo__SiloPort"] = $"{siloPorts[index]}",
            ["Silo__GatewayPort"] = $"{siloGatewayPorts[index]}",
            ["Metrics__Port"] = $"{siloMetricsPorts[index]}",
        });
    }

    /// <summary>
    /// The configuration an Orleans client needs to join the plane with the Gateway's credential
    /// (which may call any grain): for a tool that stands in for many nodes in one process.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> GatewayClientConfiguration =>
        SiloGateways.Select((gateway, i) => ($"Cluster__Gateways__{i}", gateway))
            .Append(("Cluster__ClusterId", clusterId))
            .Concat(Pki.Settings("gateway").Select(setting => (setting.Key, setting.Value)))
            .Select(setting => new KeyValuePair<string, string?>(setting.Item1.Replace("__", ":"), setting.Item2));

    /// <summary>Where silo <paramref name="index"/> takes links from other silos.</summary>
    public string SiloLinkEndpoint(int index) => $"{SiloAddress}:{siloPorts[index]}";

    /// <summary>Silo <paramref name="index"/>'s log file.</summary>
    public string SiloLog(int index) => silos[index]!.LogPath;

    /// <summary>Where silo <paramref name="index"/> serves its metrics (loopback, no token).</summary>
    public Uri SiloMetrics(int index) => new($"http://127.0.0.1:{siloMetricsPorts[index]}/metrics");

    /// <summary>Node <paramref name="index"/>'s log file (of its last start).</summary>
    public string NodeLog(int index) => nodes[index]!.LogPath;

    /// <summary>Where node <paramref name="index"/> serves its metrics (loopback, no token).</summary>
    public Uri NodeMetrics(int index) => new($"http://127.0.0.1:{nodeMetricsPorts[index]}/metrics");

    /// <summary>SIGKILL: the silo's activations, reminders and connections are gone at once.</summary>
    public async Task KillSiloAsync(int index)
    {
        await silos[index]!.KillAsync();
        await silos[index]!.DisposeAsync();
        silos[index] = null;
    }

    public async Task StartGatewayAsync()
    {
        gateway = Start("Gateway");
        await WaitFor(async () => (await Http.GetAsync("/healthz")).IsSuccessStatusCode, "the Gateway to reach the cluster");
        if (Admin.DefaultRequestHeaders.Authorization is null)
        {
            await BootstrapAsync();
        }
    }

    /// <summary>
    /// Makes the plane's first owner and gives <see cref="Admin"/> its token. The plane's people log in
    /// to the console without TOTP, so that every console test need not set it up: the tests of TOTP
    /// turn the installation's default (owners and admins need it) back on.
    /// </summary>
    private async Task BootstrapAsync()
    {
        using var bootstrap = new HttpRequestMessage(HttpMethod.Post, "/v1/bootstrap")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", BootstrapToken) },
            Content = JsonContent.Create(new { name = Owner, password = OwnerPassword }),
        };
        var made = await Http.SendAsync(bootstrap);
        made.EnsureSuccessStatusCode();
        var token = (await made.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
        OwnerToken = token!;
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await Admin.PutAsJsonAsync("/v1/admin/settings", new { maxTokenLifetimeDays = 365, totpRequiredFor = Array.Empty<string>() })).EnsureSuccessStatusCode();
    }

    /// <summary>A new API token of <paramref name="role"/>, of the owner or of <paramref name="account"/>.</summary>
    public async Task<string> IssueTokenAsync(string role, string? account = null, DateTimeOffset? expires = null)
    {
        var issued = await Admin.PostAsJsonAsync("/v1/admin/tokens", new { name = $"{role} token of a test", role, account, expires });
        issued.EnsureSuccessStatusCode();
        return (await issued.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A client of the plane's Gateway that sends <paramref name="token"/>.</summary>
    public HttpClient ClientWith(string token) => new()
    {
        BaseAddress = Http.BaseAddress, Timeout = Http.Timeout, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    /// <summary>Stops the Gateway and every silo, as an operator does for a restore; the nodes keep running.</summary>
    public async Task StopControlPlaneAsync()
    {
        await StopGatewayAsync();
        for (var index = 0; index < silos.Length; index++)
        {
            if (silos[index] is not null)
            {
                await StopSiloAsync(index);
            }
        }
    }

    /// <summary>Starts every silo on the ports it had, so that the running nodes find them, and then the Gateway.</summary>
    public async Task StartControlPlaneAsync()
    {
        for (var index = 0; index < silos.Length; index++)
        {
            StartSilo(index, samePorts: true);
        }

        await StartGatewayAsync();
    }

    /// <summary>
    /// A Gateway on ports of its own started, and then the running one stopped, as a load balancer
    /// hands over from one to the next: <see cref="Http"/>, <see cref="Admin"/> and
    /// <see cref="GatewayUrlForClients"/> name the new one.
    /// </summary>
    public async Task ReplaceGatewayAsync()
    {
        var old = (Process: gateway!, Http, Admin);
        var (http, admin, forClients) = GatewayPorts();
        admin.DefaultRequestHeaders.Authorization = Admin.DefaultRequestHeaders.Authorization;
        var next = Start("Gateway", $"Gateway-{Guid.NewGuid():N}"[..16]);
        try
        {
            await WaitFor(async () => (await http.GetAsync("/healthz")).IsSuccessStatusCode, "the new Gateway to reach the cluster");
        }
        catch
        {
            await next.DisposeAsync();
            throw;
        }

        gateway = next;
        (Http, Admin, GatewayUrlForClients) = (http, admin, forClients);
        // As a load balancer drains the one it takes out: what was sent to it ends there.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await old.Process.DisposeAsync();
        old.Http.Dispose();
        old.Admin.Dispose();
    }

    /// <summary>SIGTERM: the silo hands its grains and reminders to the others before it ends.</summary>
    public async Task StopSiloAsync(int index)
    {
        await silos[index]!.StopAsync(TimeSpan.FromSeconds(30));
        await silos[index]!.DisposeAsync();
        silos[index] = null;
    }

    /// <summary>SIGTERM: the node's containers run on without it.</summary>
    public async Task StopNodeAsync(int index = 0)
    {
        await nodes[index]!.DisposeAsync();
        nodes[index] = null;
    }

    public async Task StopGatewayAsync()
    {
        await gateway!.DisposeAsync();
        gateway = null;
    }

    /// <summary>Silo <paramref name="index"/> stands still for <paramref name="span"/> (SIGSTOP, SIGCONT), as in a long garbage collection.</summary>
    public Task PauseSiloAsync(int index, TimeSpan span) => silos[index]!.PauseAsync(span);

    /// <summary>Node <paramref name="index"/>'s NodeHost stands still for <paramref name="span"/>; its containers run on.</summary>
    public Task PauseNodeAsync(int index, TimeSpan span) => nodes[index]!.PauseAsync(span);

    /// <summary>SIGKILL: the node gets no chance to tidy up.</summary>
    public async Task KillNodeAsync(int index = 0)
    {
        await nodes[index]!.KillAsync();
        await nodes[index]!.DisposeAsync();
        nodes[index] = null;
    }

    /// <summary>As if the node's machine died: its NodeHost SIGKILLed, its containers killed, its public address gone.</summary>
    public async Task KillNodeMachineAsync(int index)
    {
        await KillNodeAsync(index);
        await Docker.KillContainersAsync(Nodes[index].ServerId);
        await Command.Run("ip", "addr", "del", $"{Nodes[index].PublicAddress}/32", "dev", "lo");
    }

    /// <summary>The node's machine back: its public address, and a NodeHost that registers again.</summary>
    public async Task ReviveNodeMachineAsync(int index)
    {
        await Command.Run("ip", "addr", "add", $"{Nodes[index].PublicAddress}/32", "dev", "lo");
        await StartNodeAsync(index);
    }

    public async Task StopProcessesAsync()
    {
        foreach (var process in nodes.Append(gateway).Concat(silos))
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        Array.Clear(nodes);
        Array.Clear(silos);
        gateway = null;
    }

    public async ValueTask DisposeAsync() => await Cleanups.RunAllAsync([
        StopProcessesAsync,
        .. Nodes.Select<TestNode, Func<Task>>(node => async () =>
        {
            await Docker.RemoveNodeAsync(clusterId, node.ServerId);
            if (Directory.Exists(node.StateDirectory))
            {
                Directory.Delete(node.StateDirectory, recursive: true);
            }
        }),
        .. underlays.Select<NodeUnderlay, Func<Task>>(underlay => async () => await underlay.DisposeAsync()),
        async () =>
        {
            if (gatewayAddress is not null)
            {
                await gatewayAddress.DisposeAsync();
            }
        },
        () =>
        {
            Http.Dispose();
            Admin.Dispose();
            return Task.CompletedTask;
        },
        async () => await Database.DisposeAsync(),
        () =>
        {
            Pki.Dispose();
            return Task.CompletedTask;
        },
    ]);

    /// <summary>Polls <paramref name="condition"/> every 250 ms for at most <see cref="StartTimeout"/>.</summary>
    public async Task WaitFor(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception;
            }

            if (nodes.Concat(silos).Append(gateway).FirstOrDefault(p => p?.HasExited == true) is { } exited)
            {
                throw new InvalidOperationException($"a process exited while waiting for {what}; see {exited.LogPath}");
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"timed out waiting for {what}; see the logs in {Repository.LogPath("")}", last);
    }

    /// <summary>
    /// Takes the secret settings out of <paramref name="environment"/> and writes each to a file of a
    /// directory of the process's own, as compose's secrets come (Hosting/SecretFiles.cs); returns the directory.
    /// </summary>
    private string MoveSecretsToFiles(Dictionary<string, string> environment, string process)
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(Pki.Directory, "secrets", process)).FullName;
        foreach (var file in System.IO.Directory.GetFiles(directory))
        {
            File.Delete(file);
        }

        foreach (var key in environment.Keys.Where(IsSecret).ToList())
        {
            File.WriteAllText(Path.Combine(directory, key), environment[key]);
            environment.Remove(key);
        }

        return directory;
    }

    private static bool IsSecret(string setting) =>
        setting is "Gateway__BootstrapToken" or "Cluster__DatabasePassword" or "Node__JoinToken" or "Sso__ClientSecret" or "ConsoleSso__ClientSecret"
        || setting.StartsWith("Gateway__SessionSealKeys__", StringComparison.Ordinal) || setting.StartsWith("Users__SecretKeys__", StringComparison.Ordinal);

    /// <param name="nodeDefaults">A node's own settings; a test's settings for the plane win over them.</param>
    private ChildProcess Start(string project, string? name = null, Dictionary<string, string>? nodeDefaults = null)
    {
        var environment = new Dictionary<string, string>(settings);
        foreach (var (key, value) in nodeDefaults ?? [])
        {
            environment.TryAdd(key, value);
        }

        // A node has the identity it enrolled for; the silos and the Gateway have the test's CA's.
        var identity = project switch { "Silo" => Pki.Settings("silo").Concat(Pki.IssuerSettings()), "Gateway" => Pki.Settings("gateway"), _ => [] };
        foreach (var (key, value) in identity)
        {
            environment[key] = value;
        }

        if (project == "NodeHost")
        {
            // A node joins through the silos' gateways: it holds no database login.
            environment.Remove("ConnectionStrings__Orleans");
        }

        environment["SecretsDirectory"] = MoveSecretsToFiles(environment, name ?? project);

        return ChildProcess.Start("dotnet", [Repository.Assembly(project, BuildRoot)], environment, Repository.LogPath($"{clusterId}-{name ?? project}.log"));
    }
}
