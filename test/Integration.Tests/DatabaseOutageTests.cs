using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>PostgreSQL stopped and started again under a running stack, on a server of the test's own.</summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task While_the_database_is_down_connects_get_a_quick_503_tunnels_carry_traffic_and_afterwards_nothing_is_lost()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var plane = await ControlPlane.StartAsync(silos: 2, postgres: postgres.ConnectionString);
        await plane.CreateUser("steady");
        await plane.CreateUser("newcomer");
        var (session, client) = await plane.ConnectedClientAsync("steady");
        await using var _ = client;

        await postgres.StopAsync();
        var refusals = new List<(HttpResponseMessage Response, TimeSpan Took)>();
        foreach (var user in new[] { "steady", "newcomer" })
        {
            var timer = Stopwatch.StartNew();
            refusals.Add((await plane.Connect(user), timer.Elapsed));
        }

        var answeredDuringOutage = await client.KeepPingingAsync(ApiClient.ContainerTunnelAddress, TimeSpan.FromSeconds(5));
        await postgres.StartAgainAsync();
        await plane.WaitFor(async () => (await plane.Connect("newcomer")).IsSuccessStatusCode, "a connect to work again");

        Assert.All(refusals, refusal =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refusal.Response.StatusCode);
            Assert.NotNull(refusal.Response.Headers.RetryAfter?.Delta);
            Assert.InRange(refusal.Took, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        });
        Assert.True(answeredDuringOutage >= 8, $"only {answeredDuringOutage} of 10 pings went through the tunnel during the outage");
        Assert.Equal(("active", null), await plane.SessionStatus(session));
        Assert.True(await client.PingAsync(ApiClient.ContainerTunnelAddress));
        var users = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/users");
        Assert.Equal(["newcomer", "steady"], users!.Select(u => u.GetProperty("name").GetString()).Order());
    }
}
