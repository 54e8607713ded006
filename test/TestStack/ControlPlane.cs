using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansWg.Hosting;
using OrleansWg.NodeHost;
using OrleansWg.NodeHost.Convergence;

namespace OrleansWg.TestStack;

/// <summary>
/// The real Silo and Gateway as processes on a real PostgreSQL database, plus one test node that
/// registers through NodeHost's own client path. Processes can be stopped and started again on the
/// same database.
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    public const string AdminToken = "integration-admin-token";
    public const string ServerId = "node-1";
    public const string NodePublicAddress = "198.18.5.1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string clusterId = $"owg-test-{Guid.NewGuid():N}"[..20];
    private readonly int siloPort = FreePort.Next();
    private readonly int gatewayPort = FreePort.Next();
    private readonly int httpPort = FreePort.Next();
    private readonly Dictionary<string, string> settings;
    private ChildProcess? silo;
    private ChildProcess? gateway;
    private IHost? node;

    private ControlPlane(TestDatabase database, Dictionary<string, string> extraSettings)
    {
        Database = database;
        settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Orleans"] = database.ConnectionString,
            ["Cluster__ClusterId"] = clusterId,
            ["Silo__SiloPort"] = $"{siloPort}",
            ["Silo__GatewayPort"] = $"{gatewayPort}",
            ["Gateway__AdminToken"] = AdminToken,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["Reminders__MinimumReminderPeriod"] = "00:00:01",
            ["Node__ServerId"] = ServerId,
            ["Node__PublicAddress"] = NodePublicAddress,
            ["Node__HeartbeatInterval"] = "00:00:01",
        };
        foreach (var (key, value) in extraSettings)
        {
            settings[key] = value;
        }

        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        Admin = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = Http.Timeout };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public TestDatabase Database { get; }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Http { get; }

    /// <summary>A client that sends the admin token.</summary>
    public HttpClient Admin { get; }

    public static async Task<ControlPlane> StartAsync(Dictionary<string, string>? extraSettings = null)
    {
        var plane = new ControlPlane(await TestDatabase.CreateAsync(), extraSettings ?? []);
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
        node = await StartNodeAsync();
        await WaitFor(async () => (await Admin.GetStringAsync("/v1/admin/servers")).Contains("\"connected\":true"), "the test node to register");
    }

    public async Task StopProcessesAsync()
    {
        if (node is not null)
        {
            await node.StopAsync();
            node.Dispose();
            node = null;
        }

        foreach (var process in new[] { gateway, silo })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        gateway = silo = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessesAsync();
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

            if (silo?.HasExited == true || gateway?.HasExited == true)
            {
                throw new InvalidOperationException($"a process exited while waiting for {what}; see {silo?.LogPath} and {gateway?.LogPath}");
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"timed out waiting for {what}; see {silo?.LogPath} and {gateway?.LogPath}", last);
    }

    private ChildProcess Start(string project) => ChildProcess.Start(
        "dotnet", [Repository.Assembly(project)], settings, Repository.LogPath($"{clusterId}-{project}.log"));

    private async Task<IHost> StartNodeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":"), (string?)s.Value)));
        builder.UseOrleansClient(client => client.UseOrleansWgCluster(builder.Configuration, retryFor: StartTimeout));
        builder.Services.AddNodeAgent();
        builder.Services.AddSingleton<INodeConverger, TestNodeConverger>();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
