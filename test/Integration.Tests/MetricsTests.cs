using System.Net;
using System.Net.Http.Headers;

namespace OrleansWg.Integration.Tests;

[Collection(ControlPlaneCollection.Name)]
public sealed class MetricsTests(ControlPlaneFixture fixture)
{
    private readonly ControlPlane plane = fixture.Plane;
    private readonly string user = $"m{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task Gateway_metrics_parse_as_prometheus_text_with_orleans_meters_and_ours_for_a_metrics_token_and_nobody_without_one()
    {
        await plane.CreateUser(user);
        var session = await plane.ConnectOk(user);
        await plane.Connect(user, "not the password");
        var scraper = new HttpClient { BaseAddress = plane.Http.BaseAddress };
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await plane.IssueTokenAsync("metrics"));

        var anonymous = await plane.Http.GetAsync("/metrics");
        var withWrongToken = await plane.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics")
        {
            Headers = { Authorization = new("Bearer", "owg_0123456789ab_not-the-secret") },
        });
        var server = $"{{group=\"generic\",server=\"{plane.ServerId}\"}}";
        var text = "";
        await plane.WaitFor(async () =>
        {
            text = await scraper.GetStringAsync("/metrics");
            return PrometheusText.Sample(text, $"orleanswg_server_sessions{server}") >= 1;
        }, "the gauges to show the session");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongToken.StatusCode);
        Assert.Null(await Promtool.ParseError(text));
        Assert.True(PrometheusText.Sample(text, "orleanswg_connects{outcome=\"connected\"}") >= 1, text);
        Assert.True(PrometheusText.Sample(text, "orleanswg_connects{outcome=\"invalid-credentials\"}") >= 1);
        Assert.True(PrometheusText.Sample(text, "orleanswg_connect_duration_count") >= 2);
        Assert.Equal(1, PrometheusText.Sample(text, $"orleanswg_server_up{server}"));
        Assert.True(PrometheusText.Sample(text, "orleanswg_sessions_active") >= 1);
        Assert.True(PrometheusText.Sample(text, "orleanswg_users_online") >= 1);
        Assert.Contains("\nmicrosoft_orleans_", text);
        Assert.DoesNotContain(user, text);
        Assert.DoesNotContain(session.GetProperty("sessionId").GetString()!, text);
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, session))).StatusCode);
    }

    [Fact]
    public async Task Silo_and_node_serve_their_meters_on_a_port_of_their_own_with_the_nodes_convergence_times()
    {
        using var http = new HttpClient();
        await plane.CreateUser(user);
        // prometheus-net takes up an instrument made since its last scrape at the next one, and counts from then on.
        await http.GetStringAsync(plane.SiloMetrics(0));
        var session = await plane.ConnectOk(user);

        var silo = await http.GetStringAsync(plane.SiloMetrics(0));
        var node = await http.GetStringAsync(plane.NodeMetrics(0));

        Assert.Null(await Promtool.ParseError(silo));
        Assert.Null(await Promtool.ParseError(node));
        Assert.Contains("\nmicrosoft_orleans_", silo);
        Assert.Contains("\nmicrosoft_orleans_", node);
        Assert.True(PrometheusText.Sample(node, "orleanswg_node_convergence_duration_count{kind=\"change\"}") >= 1, node);
        Assert.True(PrometheusText.Sample(node, "orleanswg_node_convergence_wait_count{kind=\"change\"}") >= 1);
        Assert.True(PrometheusText.Sum(silo, "microsoft_orleans_orleans_storage_write_latency_count", "state_name=\"server-shard-") >= 1, silo);
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Delete, session))).StatusCode);
    }
}
