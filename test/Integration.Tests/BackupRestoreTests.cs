using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>The control plane's database restored from a backup while the nodes and their users run on.</summary>
public sealed class BackupRestoreTests : IDisposable
{
    private static readonly Dictionary<string, string> Watcher = new() { ["OWG_WATCH_PERIOD"] = "2", ["OWG_WATCH_TICK"] = "1" };

    private readonly DirectoryInfo backups = Directory.CreateTempSubdirectory("owg-backup-");

    public void Dispose() => backups.Delete(recursive: true);

    [Fact]
    public async Task A_restored_older_backup_takes_the_running_node_back_to_its_desired_state_and_ends_the_sessions_it_does_not_know()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("kept");
        await plane.CreateUser("later");
        var (kept, keptClient) = await plane.ConnectedClientAsync("kept");
        await using var _ = keptClient;
        var backup = Path.Combine(backups.FullName, "owg.dump");
        await plane.Database.BackupAsync(backup);
        await using var laterClient = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var connect = await plane.Owg(laterClient, Watcher).Connect("later");
        Assert.True(connect.ExitCode == 0, connect.Error);
        Assert.True(await laterClient.PingAsync(ApiClient.ContainerTunnelAddress));

        // The procedure of docs/operations.md: the control plane stopped, the database restored, the control plane started.
        await plane.StopControlPlaneAsync();
        await plane.Database.RestoreAsync(backup);
        await plane.StartControlPlaneAsync();

        await plane.WaitFor(async () => (await Docker.ContainersAsync(plane.ServerId, plane.ClusterId)).Select(c => c.Name).SequenceEqual([plane.UserContainer("kept")]),
            "the node to remove the container of the session the backup does not know");
        await plane.WaitFor(async () => !await laterClient.HasInterfaceAsync(), "owg's watcher to take the unknown session's tunnel down");
        var status = await plane.Owg(laterClient).Status();
        Assert.True(status.Output.Contains("took the tunnel down: the session ended (unknown to the cluster)"), status.Output + status.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await plane.Admin.GetAsync($"/v1/admin/sessions/{OwgClient.SessionIdOf(connect)}")).StatusCode);
        var keptView = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{kept.GetProperty("sessionId").GetString()}");
        Assert.Equal("active", keptView.GetProperty("status").GetString());
        Assert.True(await keptClient.PingAsync(ApiClient.ContainerTunnelAddress));
        await plane.ConnectOk("later");
    }
}
