using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>Credentials at the Gateway: the console's login, Basic credentials, and the keys of the session tokens.</summary>
public sealed class AdminCredentialTests
{
    private const string SealKeyOne = "the-first-session-seal-key-of-this-test";
    private const string SealKeyTwo = "the-second-session-seal-key-of-this-test";

    [Fact]
    public async Task A_console_login_outlives_a_Gateway_restart_and_its_cookie_is_worthless_after_a_logout()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);
        var cookies = new CookieContainer();
        using var console = ConsoleClient(plane, cookies);
        await LogIn(console);

        await plane.StopGatewayAsync();
        await plane.StartGatewayAsync();
        var afterRestart = await console.GetAsync("/admin/csrf");
        var cookie = cookies.GetCookieHeader(plane.Http.BaseAddress!);
        var logout = new HttpRequestMessage(HttpMethod.Post, "/admin/logout")
        {
            Headers = { { "X-CSRF-Token", (await afterRestart.Json()).GetProperty("token").GetString() } },
        };
        var loggedOut = await console.SendAsync(logout);
        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = plane.Http.BaseAddress };
        var replayed = await replay.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/admin/csrf") { Headers = { { "Cookie", cookie } } });

        Assert.Equal(HttpStatusCode.OK, afterRestart.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, replayed.StatusCode);
    }

    [Fact]
    public async Task A_console_login_ends_at_its_maximum_lifetime_however_much_it_is_used()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Gateway__ConsoleSessionMaxLifetime"] = "00:00:03" }, nodes: 0);
        using var console = ConsoleClient(plane, new CookieContainer());
        await LogIn(console);
        var first = await console.GetAsync("/admin/csrf");

        await plane.WaitFor(async () => (await console.GetAsync("/admin/csrf")).StatusCode != HttpStatusCode.OK, "the login to end");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task A_new_seal_key_put_first_keeps_live_sessions_until_the_old_one_goes()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Gateway__SessionSealKeys__0"] = SealKeyOne });
        await plane.CreateUser("carol");
        var before = await plane.ConnectOk("carol");

        plane.SetSetting("Gateway__SessionSealKeys__0", SealKeyTwo);
        plane.SetSetting("Gateway__SessionSealKeys__1", SealKeyOne);
        await RestartGateway(plane);
        var beforeWithBothKeys = await SessionRead(plane, before);
        var after = await plane.ConnectOk("carol");
        plane.SetSetting("Gateway__SessionSealKeys__1", null);
        await RestartGateway(plane);
        var beforeWithNewKeyOnly = await SessionRead(plane, before);
        var afterWithNewKeyOnly = await SessionRead(plane, after);

        Assert.Equal(HttpStatusCode.OK, beforeWithBothKeys);
        Assert.Equal(HttpStatusCode.Unauthorized, beforeWithNewKeyOnly);
        Assert.Equal(HttpStatusCode.OK, afterWithNewKeyOnly);
    }

    [Fact]
    public async Task Basic_credentials_open_the_dashboards_pages_and_nothing_else()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);
        using var basic = new HttpClient { BaseAddress = plane.Http.BaseAddress };
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{plane.OwnerToken}")));

        var dashboard = await basic.GetAsync("/dashboard/");
        var users = await basic.GetAsync("/v1/admin/users");
        var created = await basic.PostAsJsonAsync("/v1/admin/users", new { username = "mallory", password = ApiClient.Password });
        var metrics = await basic.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "Bearer"), (users.StatusCode, users.Headers.WwwAuthenticate.ToString()));
        Assert.Equal(HttpStatusCode.Unauthorized, created.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await plane.Admin.GetAsync("/v1/admin/users/mallory")).StatusCode);
    }

    /// <summary>A client that keeps cookies, as a browser does, and does not follow redirects.</summary>
    private static HttpClient ConsoleClient(ControlPlane plane, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = plane.Http.BaseAddress };

    private static async Task LogIn(HttpClient console)
    {
        var login = await console.PostAsync("/admin/login",
            new FormUrlEncodedContent([new("name", ControlPlane.Owner), new("password", ControlPlane.OwnerPassword)]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/admin/csrf")).StatusCode);
    }

    private static async Task RestartGateway(ControlPlane plane)
    {
        await plane.StopGatewayAsync();
        await plane.StartGatewayAsync();
    }

    private static async Task<HttpStatusCode> SessionRead(ControlPlane plane, JsonElement session) =>
        (await plane.Http.SendAsync(SessionRequest.For(HttpMethod.Get, session))).StatusCode;
}
