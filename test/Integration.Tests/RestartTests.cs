using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Users_servers_and_sessions_survive_a_restart_of_every_process_and_the_session_reminder_fires_again()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Sessions__CheckPeriod"] = "00:00:02", ["Sessions__BackstopPeriod"] = "00:00:02" });
        await plane.CreateUser("restart-user");
        var session = await plane.ConnectOk("restart-user");

        await plane.StopProcessesAsync();
        var restartedAt = DateTimeOffset.UtcNow;
        await plane.StartProcessesAsync();

        var user = await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/users/restart-user");
        var server = Assert.Single((await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/servers")).EnumerateArray());
        Assert.Equal(session.GetProperty("sessionId").GetString(), user.GetProperty("sessions")[0].GetProperty("sessionId").GetString());
        Assert.Equal(1, server.GetProperty("sessions").GetInt32());
        await plane.WaitFor(async () =>
        {
            var view = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{session.GetProperty("sessionId").GetString()}");
            return view.GetProperty("status").GetString() == "active"
                && view.GetProperty("lastCheckedAt").ValueKind == JsonValueKind.String
                && view.GetProperty("lastCheckedAt").GetDateTimeOffset() > restartedAt;
        }, "the session's reminder to fire after the restart");
        Assert.Equal(1L, await plane.Database.Scalar<long>("SELECT count(*) FROM OrleansRemindersTable"));
    }

    [Fact]
    public async Task After_a_restart_the_first_connect_of_a_new_user_once_the_node_counts_as_registered_succeeds()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("before");
        await plane.ConnectOk("before");

        // As run.sh does it: the silo and the Gateway first, an admin's look at the servers (which
        // wakes the server's grain with the agent of the node that ran before), then the node.
        await plane.StopProcessesAsync();
        plane.StartSilo(0);
        await plane.StartGatewayAsync();
        await plane.Admin.GetStringAsync("/v1/admin/servers");
        await plane.StartNodeAsync();
        await plane.CreateUser("after");
        var first = await plane.Connect("after", publicKey: WireGuardKey.CreatePair().PublicKey);

        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_second_silo_start_on_the_same_database_changes_no_schema()
    {
        await using var plane = await ControlPlane.StartAsync();
        const string Schema = "SELECT md5(string_agg(querykey || querytext, '' ORDER BY querykey)) FROM OrleansQuery";
        var before = await plane.Database.Scalar<string>(Schema);

        await plane.StopProcessesAsync();
        await plane.StartProcessesAsync();

        Assert.Equal(before, await plane.Database.Scalar<string>(Schema));
        Assert.Equal(HttpStatusCode.OK, (await plane.Http.GetAsync("/healthz")).StatusCode);
    }
}
