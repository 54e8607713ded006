using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

[Collection(ControlPlaneCollection.Name)]
public sealed class AdminApiTests(ControlPlaneFixture fixture)
{
    private readonly ControlPlane plane = fixture.Plane;
    private readonly string user = $"a{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task An_admin_request_without_the_token_returns_401_and_changes_nothing()
    {
        var response = await plane.Http.PostAsJsonAsync("/v1/admin/users", new { username = user, password = ApiClient.Password });
        var wrongToken = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/users") { Headers = { Authorization = new("Bearer", "guess") } };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await plane.Http.SendAsync(wrongToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await plane.Admin.GetAsync($"/v1/admin/users/{user}")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_asks_a_browser_for_an_api_token_and_with_an_owners_shows_the_silo()
    {
        var anonymous = await plane.Http.GetAsync("/dashboard/");
        var asBrowser = new HttpRequestMessage(HttpMethod.Get, "/dashboard/")
        {
            Headers = { Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{plane.OwnerToken}"))) },
        };

        var page = await plane.Http.SendAsync(asBrowser);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Basic");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        await plane.WaitFor(async () => (await plane.Admin.GetFromJsonAsync<JsonElement>("/dashboard/DashboardCounters"))
            .GetProperty("totalActiveHostCount").GetInt32() == 1, "the dashboard to count the silo");
    }

    [Fact]
    public async Task Users_are_created_listed_given_permissions_and_deleted()
    {
        await plane.CreateUser(user);
        var duplicate = await plane.Admin.PostAsJsonAsync("/v1/admin/users", new { username = user, password = ApiClient.Password });
        var setPermissions = await plane.Admin.PutAsJsonAsync($"/v1/admin/users/{user}/permissions",
            new { servers = new[] { plane.ServerId }, groups = new[] { "premium" } });
        var permissions = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/users/{user}/permissions");
        var listed = await plane.Admin.GetStringAsync("/v1/admin/users");

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, setPermissions.StatusCode);
        Assert.Equal(plane.ServerId, permissions.GetProperty("servers")[0].GetString());
        Assert.Contains($"\"name\":\"{user}\"", listed);

        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.DeleteAsync($"/v1/admin/users/{user}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await plane.Admin.GetAsync($"/v1/admin/users/{user}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await plane.Admin.DeleteAsync($"/v1/admin/users/{user}")).StatusCode);
    }

    [Fact]
    public async Task A_new_password_replaces_the_old_one()
    {
        await plane.CreateUser(user);

        var reset = await plane.Admin.PutAsJsonAsync($"/v1/admin/users/{user}/password", new { password = "another password" });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await plane.Connect(user)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await plane.Connect(user, "another password")).StatusCode);
    }

    [Fact]
    public async Task A_user_with_a_bad_name_or_short_password_is_refused_with_400()
    {
        var badName = await plane.Admin.PostAsJsonAsync("/v1/admin/users", new { username = "no spaces", password = ApiClient.Password });
        var shortPassword = await plane.Admin.PostAsJsonAsync("/v1/admin/users", new { username = user, password = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
    }

    [Fact]
    public async Task Servers_with_the_WireGuard_their_node_chose_and_sessions_are_listed_and_an_admin_can_close_a_session()
    {
        await plane.CreateUser(user);
        var session = await plane.ConnectOk(user);
        var sessionId = session.GetProperty("sessionId").GetString();

        var servers = await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/servers");
        var sessions = await plane.Admin.GetStringAsync("/v1/admin/sessions");
        var close = await plane.Admin.DeleteAsync($"/v1/admin/sessions/{sessionId}");
        var closed = await (await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Get, session))).Json();

        var server = Assert.Single(servers.EnumerateArray());
        // This machine's kernel has no WireGuard: the node chose wireguard-go by itself.
        Assert.Equal((plane.ServerId, true, "userspace"),
            (server.GetProperty("id").GetString(), server.GetProperty("connected").GetBoolean(), server.GetProperty("wireGuard").GetString()));
        Assert.Contains(sessionId!, sessions);
        Assert.Equal(HttpStatusCode.NoContent, close.StatusCode);
        Assert.Equal("admin", closed.GetProperty("closeReason").GetString());
    }

    [Theory]
    [InlineData("""{"downMbps": -1}""")]
    [InlineData("""{"downMbps": 0}""")]
    [InlineData("""{"upMbps": 100001}""")]
    [InlineData("""{"upMbps": 99999999999}""")]
    [InlineData("""{"downMbps": "fast"}""")]
    [InlineData("""{"downMbps": 1.5}""")]
    [InlineData("""{"upMbps": true}""")]
    [InlineData("""[8, 5]""")]
    public async Task A_bad_bandwidth_limit_returns_400_problem_details_and_changes_nothing(string body)
    {
        await plane.CreateUser(user);
        (await plane.Admin.PutAsJsonAsync($"/v1/admin/users/{user}/limits", new { downMbps = 8 })).EnsureSuccessStatusCode();

        var onUser = await plane.Admin.PutAsync($"/v1/admin/users/{user}/limits", new StringContent(body, Encoding.UTF8, "application/json"));
        var onGroup = await plane.Admin.PutAsync($"/v1/admin/groups/{user}/limits", new StringContent(body, Encoding.UTF8, "application/json"));
        var limits = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/users/{user}/limits");
        var groupLimits = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/groups/{user}/limits");

        foreach (var response in new[] { onUser, onGroup })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(8, limits.GetProperty("downMbps").GetInt32());
        Assert.Equal(JsonValueKind.Null, groupLimits.GetProperty("downMbps").ValueKind);
    }

    [Fact]
    public async Task A_limit_of_the_wrong_JSON_type_gets_a_400_that_names_the_field()
    {
        await plane.CreateUser(user);

        var response = await plane.Admin.PutAsync($"/v1/admin/users/{user}/limits", new StringContent("""{"upMbps": "fast"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty("upMbps", out _));
    }

    [Fact]
    public async Task Limits_of_a_user_that_does_not_exist_return_404()
    {
        var set = await plane.Admin.PutAsJsonAsync($"/v1/admin/users/{user}/limits", new { downMbps = 8 });
        var get = await plane.Admin.GetAsync($"/v1/admin/users/{user}/limits");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (set.StatusCode, get.StatusCode));
    }

    [Fact]
    public async Task Health_with_the_version_owg_has_and_the_OpenAPI_document_are_served()
    {
        var health = await plane.Http.GetAsync("/healthz");
        var openApi = await plane.Http.GetStringAsync("/openapi/v1.json");
        // The version owg says it is, which every process of the installation reports too.
        var owgVersion = (await Command.Run(Path.Combine(Repository.Root, "client", "owg"), "--version")).Trim().Split(' ')[1];

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var answer = await health.Json();
        Assert.Equal(("ok", owgVersion), (answer.GetProperty("status").GetString(), answer.GetProperty("version").GetString()));
        Assert.Contains("/v1/connect", openApi);
        Assert.Contains("/v1/admin/users", openApi);
    }
}
