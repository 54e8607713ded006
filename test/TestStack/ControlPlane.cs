using System.Net.Http.Headers;

namespace OrleansWg.TestStack;

/// <summary>
/// The real Silo, Gateway and NodeHost as processes, on a real PostgreSQL database and the
/// machine's dockerd. Processes can be stopped, killed and started again on the same database;
/// at the end every process, container, network and host change of the plane is removed.
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    public const string AdminToken = "integration-admin-token";
    public const string NodePublicAddress = "198.18.5.1";
    public const string ContainerSubnet = "198.18.64.0/24";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string clusterId = $"owg-test-{Guid.NewGuid():N}"[..20];
    private readonly Dictionary<string, string> settings;
    private readonly NodeUnderlay underlay;
    private ChildProcess? silo;
    private ChildProcess? gateway;
    private ChildProcess? node;

    private ControlPlane(TestDatabase database, NodeUnderlay underlay, Dictionary<string, string> extraSettings)
    {
        Database = database;
        this.underlay = underlay;
        var httpPort = FreePort.Next();
        settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Orleans"] = database.ConnectionString,
            ["Cluster__ClusterId"] = clusterId,
            ["Silo__SiloPort"] = $"{FreePort.Next()}",
            ["Silo__GatewayPort"] = $"{FreePort.Next()}",
            ["Gateway__AdminToken"] = AdminToken,
            // Also on the node's address, which client namespaces have a route to.
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort};http://{NodePublicAddress}:{httpPort}",
            ["Reminders__MinimumReminderPeriod"] = "00:00:01",
            ["Node__ServerId"] = ServerId,
            ["Node__PublicAddress"] = NodePublicAddress,
            ["Node__ContainerSubnet"] = ContainerSubnet,
            ["Node__StateDirectory"] = StateDirectory,
            ["Node__HeartbeatInterval"] = "00:00:01",
            ["Node__WarmPoolSize"] = "0",
        };
        foreach (var (key, value) in extraSettings)
        {
            settings[key] = value;
        }

        GatewayUrlForClients = $"http://{NodePublicAddress}:{httpPort}";
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        Admin = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = Http.Timeout };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    /// <summary>The test node's server id: fresh for every plane, so no two planes share a container name.</summary>
    public string ServerId { get; } = $"n{Guid.NewGuid():N}"[..9];

    public TestDatabase Database { get; }

    /// <summary>The Gateway as a client namespace reaches it.</summary>
    public string GatewayUrlForClients { get; }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Http { get; }

    /// <summary>A client that sends the admin token.</summary>
    public HttpClient Admin { get; }

    private string StateDirectory => $"/var/lib/orleanswg/test-nodes/{ServerId}";

    public static async Task<ControlPlane> StartAsync(Dictionary<string, string>? extraSettings = null)
    {
        var database = await TestDatabase.CreateAsync();
        var plane = new ControlPlane(database, await NodeUnderlay.CreateAsync(NodePublicAddress, ContainerSubnet), extraSettings ?? []);
        try
        {
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
        silo = Start("Silo");
        gateway = Start("Gateway");
        await WaitFor(async () => (await Http.GetAsync("/healthz")).IsSuccessStatusCode, "the Gateway to reach the cluster");
        await StartNodeAsync();
    }

    public async Task StartNodeAsync()
    {
        node = Start("NodeHost");
        await WaitFor(async () => (await Admin.GetStringAsync("/v1/admin/servers")).Contains("\"connected\":true"), "the node to register");
    }

    public async Task StopGatewayAsync()
    {
        await gateway!.DisposeAsync();
        gateway = null;
    }

    /// <summary>SIGKILL: the node gets no chance to tidy up.</summary>
    public async Task KillNodeAsync()
    {
        await node!.StopAsync(TimeSpan.Zero);
        await node.DisposeAsync();
        node = null;
    }

    public async Task StopProcessesAsync()
    {
        foreach (var process in new[] { node, gateway, silo })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        node = gateway = silo = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessesAsync();
        await Docker.RemoveNodeAsync(ServerId);
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }

        await underlay.DisposeAsync();
        Http.Dispose();
        Admin.Dispose();
        await Database.DisposeAsync();
    }

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

            if (new[] { silo, gateway, node }.FirstOrDefault(p => p?.HasExited == true) is { } exited)
            {
                throw new InvalidOperationException($"a process exited while waiting for {what}; see {exited.LogPath}");
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"timed out waiting for {what}; see the logs in {Repository.LogPath("")}", last);
    }

    private ChildProcess Start(string project) => ChildProcess.Start(
        "dotnet", [Repository.Assembly(project)], settings, Repository.LogPath($"{clusterId}-{project}.log"));
}
