using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenQA.Selenium;

namespace OrleansWg.Integration.Tests;

/// <summary>The console in a real browser: log in, create a user and set their limits, see a client's session appear, close it, drain a server.</summary>
public sealed class AdminConsoleTests
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task An_admin_logs_in_creates_a_user_sets_their_limits_sees_the_session_closes_it_and_drains_a_server_in_a_browser()
    {
        await using var plane = await ControlPlane.StartAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        using var browser = new Browser();
        var gateway = plane.Http.BaseAddress!;

        browser.Open(new Uri(gateway, "/admin"));
        LogIn(browser, "not the owner's password");
        var refused = browser.WaitFor(By.CssSelector("p.error"), Refresh);
        browser.Screenshot("1-login-refused");
        LogIn(browser);
        var serverStatus = browser.WaitFor(By.CssSelector($"tr[data-server='{plane.ServerId}'] .status"), Refresh);
        var serverWireGuard = browser.Driver.FindElement(By.CssSelector($"tr[data-server='{plane.ServerId}'] td:nth-child(4)")).Text;
        browser.Screenshot("2-servers");

        browser.Open(new Uri(gateway, "/admin#users"));
        browser.WaitFor(By.CssSelector("#create-user input[name=username]"), Refresh);
        browser.Driver.FindElement(By.CssSelector("#create-user input[name=username]")).SendKeys("console-user");
        browser.Driver.FindElement(By.CssSelector("#create-user input[name=password]")).SendKeys(ApiClient.Password);
        browser.Driver.FindElement(By.CssSelector("#create-user button")).Click();
        browser.WaitFor(By.CssSelector("tr[data-user='console-user']"), Refresh);
        browser.Click(By.CssSelector("tr[data-user='console-user'] button.set-limits"), Refresh);
        browser.Answer("8", Refresh);
        browser.Answer("5", Refresh);
        var userLimits = browser.WaitFor(By.CssSelector("tr[data-user='console-user'] .limits"), Refresh, text => text != "none");
        browser.Screenshot("3-users");

        browser.Open(new Uri(gateway, "/admin#sessions"));
        browser.WaitFor(By.CssSelector("#sessions .pager"), Refresh);
        var connect = await plane.Owg(client).Connect("console-user");
        Assert.Equal(0, connect.ExitCode);
        var shownAfter = Stopwatch.StartNew();
        browser.WaitFor(By.CssSelector("tr[data-user='console-user']"), Refresh);
        shownAfter.Stop();
        Assert.True(await client.PingAsync(ApiClient.ContainerTunnelAddress));
        var sessionLimits = browser.WaitFor(By.CssSelector("tr[data-user='console-user'] .limits"), Refresh);
        browser.Screenshot("4-sessions");
        browser.Click(By.CssSelector("tr[data-user='console-user'] button.close"), Refresh);
        // The click only sends the close: a ping answered at once may still go through before the node has removed the peer.
        var carried = true;
        for (var attempt = 0; attempt < 10 && carried; attempt++)
        {
            carried = await client.PingAsync(ApiClient.ContainerTunnelAddress);
            if (carried)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        browser.Open(new Uri(gateway, "/admin#servers"));
        browser.Click(By.CssSelector($"tr[data-server='{plane.ServerId}'] button.drain"), Refresh);
        var drained = browser.WaitFor(By.CssSelector($"tr[data-server='{plane.ServerId}'] .status"), Refresh, text => text == "draining");
        browser.Screenshot("5-drained");
        // A server made in the console comes with its node's join token; a listed one gets a new one from its row.
        foreach (var (field, value) in new[] { ("server", "added-1"), ("publicAddress", "198.18.5.77"), ("capacity", "5") })
        {
            browser.Driver.FindElement(By.CssSelector($"#add-server input[name={field}]")).SendKeys(value);
        }

        browser.Driver.FindElement(By.CssSelector("#add-server button")).Click();
        var addedServer = browser.WaitFor(By.CssSelector("#join-token .server"), Refresh, text => text == "added-1");
        var addedToken = browser.WaitFor(By.CssSelector("#join-token .token"), Refresh, text => text.StartsWith("owgjoin_", StringComparison.Ordinal));
        browser.Screenshot("5b-join-token");
        browser.Click(By.CssSelector($"tr[data-server='{plane.ServerId}'] button.join-token"), Refresh);
        var joinToken = browser.WaitFor(By.CssSelector("#join-token .token"), Refresh,
            text => text.StartsWith("owgjoin_", StringComparison.Ordinal) && text != addedToken);

        browser.Open(new Uri(gateway, "/dashboard/"));
        var dashboard = browser.WaitFor(By.CssSelector("body"), TimeSpan.FromSeconds(20), text => text.Contains("Silo", StringComparison.OrdinalIgnoreCase));
        browser.Screenshot("6-dashboard");

        Assert.Contains("Wrong account name or password", refused);
        Assert.Equal(("↓ 8 / ↑ 5 Mbit/s", "↓ 8 / ↑ 5 Mbit/s"), (userLimits, sessionLimits));
        Assert.Equal(("up", "userspace"), (serverStatus, serverWireGuard));
        Assert.True(shownAfter.Elapsed < TimeSpan.FromSeconds(2), $"the session appeared after {shownAfter.Elapsed}");
        Assert.False(carried, "the tunnel still carried traffic after the console closed the session");
        Assert.Equal("draining", drained);
        Assert.Equal("added-1", addedServer);
        Assert.StartsWith("owgjoin_", joinToken, StringComparison.Ordinal);
        Assert.NotNull(dashboard);
        var session = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.close-session"))!;
        var closed = Assert.Single(session);
        Assert.Equal(("by console", ControlPlane.Owner, "owner"),
            (closed.GetProperty("detail").GetString(), closed.GetProperty("actor").GetString(), closed.GetProperty("actorRole").GetString()));
    }

    [Fact]
    public async Task A_cross_site_form_post_to_every_state_changing_admin_route_changes_nothing_though_the_browser_has_the_consoles_cookie_and_cached_basic_credentials()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("victim");
        using var browser = new Browser();
        var gateway = plane.Http.BaseAddress!;
        browser.Open(new Uri(gateway, "/admin"));
        LogIn(browser);
        browser.WaitFor(By.CssSelector($"tr[data-server='{plane.ServerId}']"), Refresh);
        // The dashboard's Basic login, which the browser keeps and sends again wherever it is asked for it.
        browser.Open(new UriBuilder(new Uri(gateway, "/dashboard/")) { UserName = "admin", Password = plane.OwnerToken }.Uri);
        browser.WaitFor(By.TagName("body"), Refresh, text => text.Contains("Silos", StringComparison.OrdinalIgnoreCase));
        var before = await AdminState(plane);
        // Every POST of the admin API (what a form can send), and the console's logout, each as a form
        // and as a text/plain form shaped like the route's JSON, each sent by a page of another origin.
        var routes = (await plane.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/v1/admin/", StringComparison.Ordinal) && path.Value.TryGetProperty("post", out _))
            .Select(path => path.Name.Replace("{name}", "victim").Replace("{id}", plane.ServerId))
            .Append("/admin/logout").ToList();
        // name='{"username":...,"x":"' value='"}' is sent as {"username":...,"x":"="}: JSON, as text/plain.
        const string json = "{\"username\":\"mallory\",\"name\":\"mallory\",\"role\":\"owner\",\"password\":\"mallory-password\",\"x\":\"";
        const string jsonEnd = "\"}";
        var forms = routes.SelectMany(route => new[]
        {
            $"""<form method="post" action="{new Uri(gateway, route)}"><input name="name" value="mallory"></form>""",
            $"""<form method="post" enctype="text/plain" action="{new Uri(gateway, route)}"><input name='{json}' value='{jsonEnd}'></form>""",
        }).ToList();
        using var attacker = new HttpListener();
        var attackerUrl = $"http://127.0.0.2:{FreePort.Next()}/";
        attacker.Prefixes.Add(attackerUrl);
        attacker.Start();
        var serving = Task.Run(async () =>
        {
            foreach (var form in forms)
            {
                var context = await attacker.GetContextAsync();
                context.Response.ContentType = "text/html";
                await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes($"<html><body>{form}<script>document.forms[0].submit();</script></body></html>"));
                context.Response.Close();
            }
        });

        var posted = 0;
        foreach (var _ in forms)
        {
            browser.Open(new Uri(attackerUrl));
            posted += new OpenQA.Selenium.Support.UI.WebDriverWait(browser.Driver, Refresh).Until(d => d.Url.StartsWith(gateway.ToString(), StringComparison.Ordinal)) ? 1 : 0;
        }

        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        browser.Screenshot("7-cross-site-post");
        browser.Open(new Uri(gateway, "/admin"));
        var stillLoggedIn = browser.WaitFor(By.Id("me"), Refresh, text => text.Length > 0);

        Assert.Equal(forms.Count, posted);
        Assert.Contains("/v1/admin/servers/{id}/drain".Replace("{id}", plane.ServerId), routes);
        Assert.Contains("/v1/admin/accounts", routes);
        Assert.Equal(before, await AdminState(plane));
        Assert.Equal("owner (owner)", stillLoggedIn);
    }

    /// <summary>What a forged admin request could change: users, servers, accounts and tokens, as the owner reads them.</summary>
    private static async Task<string> AdminState(ControlPlane plane)
    {
        var parts = await Task.WhenAll(new[] { "/v1/admin/users", "/v1/admin/accounts", "/v1/admin/tokens" }.Select(plane.Admin.GetStringAsync));
        var servers = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/servers"))!
            .Select(server => $"{server.GetProperty("id")} draining={server.GetProperty("draining")} revoked={server.GetProperty("revokedAt")}");
        // A token's last use changes with every read of the owner's: not a change an attacker made.
        return string.Join("\n", parts.Select(part => System.Text.RegularExpressions.Regex.Replace(part, "\"lastUsed\":\"[^\"]*\"", "")).Concat(servers));
    }

    [Fact]
    public async Task An_owner_makes_an_account_and_a_token_in_the_console_and_the_helpdesk_sees_only_what_its_role_may_do()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);
        using var owner = new Browser();
        var gateway = plane.Http.BaseAddress!;
        owner.Open(new Uri(gateway, "/admin"));
        LogIn(owner);
        owner.WaitFor(By.Id("me"), Refresh, text => text.Length > 0);
        owner.Open(new Uri(gateway, "/admin#access"));
        owner.WaitFor(By.CssSelector("#accounts tr[data-account='owner']"), Refresh);
        Fill(owner, "#create-account", ("name", "hd"), ("password", "a-helpdesk-password"));
        owner.Driver.FindElement(By.CssSelector("#create-account option[value=helpdesk]")).Click();
        owner.Driver.FindElement(By.CssSelector("#create-account button")).Click();
        owner.WaitFor(By.CssSelector("#accounts tr[data-account='hd']"), Refresh);
        Fill(owner, "#create-token", ("name", "a scraper"));
        owner.Driver.FindElement(By.CssSelector("#create-token option[value=metrics]")).Click();
        owner.Driver.FindElement(By.CssSelector("#create-token button")).Click();
        var token = owner.WaitFor(By.CssSelector("#new-token code"), Refresh, text => text.StartsWith("owg_", StringComparison.Ordinal));
        owner.Screenshot("11-access");
        using var scraper = plane.ClientWith(token);
        var scrape = await scraper.GetAsync("/metrics");

        using var helpdesk = new Browser();
        helpdesk.Open(new Uri(gateway, "/admin"));
        LogIn(helpdesk, "a-helpdesk-password", "hd");
        var me = helpdesk.WaitFor(By.Id("me"), Refresh, text => text.Length > 0);
        helpdesk.WaitFor(By.CssSelector("#users table"), Refresh);
        var tabs = helpdesk.Driver.FindElements(By.CssSelector("nav a")).Where(link => link.Displayed).Select(link => link.Text).ToList();
        helpdesk.Screenshot("12-helpdesk");

        Assert.Equal(System.Net.HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal("hd (helpdesk)", me);
        Assert.Equal(["Users", "Sessions", "Access"], tabs);
    }

    [Fact]
    public async Task A_console_that_could_not_reach_the_gateway_when_it_opened_says_why_and_fills_in_once_it_can_without_a_reload()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var browser = new Browser();
        var gateway = plane.Http.BaseAddress!;
        browser.Open(new Uri(gateway, "/admin"));
        browser.FailRequests("*/admin/csrf", "*/v1/admin/*");
        LogIn(browser);
        var cut = browser.WaitFor(By.CssSelector("#message.error"), Refresh);
        browser.Screenshot("8-console-cut-off");

        browser.FailRequests();
        var serverStatus = browser.WaitFor(By.CssSelector($"tr[data-server='{plane.ServerId}'] .status"), Refresh);
        var message = browser.Driver.FindElement(By.Id("message")).Text;
        browser.Screenshot("9-console-healed");

        Assert.Equal("Failed to fetch", cut);
        Assert.Equal(("up", ""), (serverStatus, message));
    }

    [Fact]
    public async Task An_admin_gives_a_group_a_dns_policy_in_the_console_and_takes_it_back_to_the_cluster_default()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var browser = new Browser();
        var gateway = plane.Http.BaseAddress!;
        browser.Open(new Uri(gateway, "/admin"));
        LogIn(browser);
        browser.WaitFor(By.CssSelector($"tr[data-server='{plane.ServerId}'] .status"), Refresh);

        browser.Open(new Uri(gateway, "/admin#dns"));
        browser.WaitFor(By.CssSelector("#dns-group .state"), Refresh, text => text.Contains("cluster default"));
        browser.Driver.FindElement(By.CssSelector("#dns-group input[name=group]")).SendKeys("staff");
        browser.Driver.FindElement(By.CssSelector("#dns-group button")).Click();
        var inherited = browser.WaitFor(By.CssSelector("#dns-group .state"), Refresh, text => text.StartsWith("staff:", StringComparison.Ordinal));
        browser.Driver.FindElement(By.CssSelector("#dns-policy input[name=searchDomains]")).SendKeys("corp.example");
        browser.Driver.FindElement(By.CssSelector("#dns-policy textarea[name=blocked]")).SendKeys("ads.example\ntracker.example");
        browser.Driver.FindElement(By.CssSelector("#dns-policy button[type=submit]")).Click();
        var own = browser.WaitFor(By.CssSelector("#dns-group .state"), Refresh, text => text.Contains("its own policy"));
        browser.Screenshot("10-dns-policy");
        var saved = await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/groups/staff/dns");
        browser.Click(By.Id("dns-reset"), Refresh);
        var reset = browser.WaitFor(By.CssSelector("#dns-group .state"), Refresh, text => text.Contains("the cluster default,"));

        Assert.Contains("the cluster default,", inherited);
        Assert.Contains("staff: its own policy", own);
        Assert.Equal(["ads.example", "tracker.example"], saved.GetProperty("blocked").EnumerateArray().Select(name => name.GetString()));
        Assert.Equal("corp.example", saved.GetProperty("searchDomains")[0].GetString());
        Assert.Contains("staff: the cluster default", reset);
        var audit = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.set-group-dns"))!;
        Assert.Equal("group staff by console", Assert.Single(audit).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_admin_sees_who_connects_with_mfa_resets_a_users_mfa_and_makes_a_group_require_it_in_the_console()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.CreateUser("phone-lost");
        await plane.ConfirmMfa("phone-lost", await plane.BeginMfa("phone-lost"));
        using var browser = new Browser();
        var gateway = plane.Http.BaseAddress!;
        browser.Open(new Uri(gateway, "/admin"));
        LogIn(browser);
        browser.WaitFor(By.CssSelector($"tr[data-server='{plane.ServerId}'] .status"), Refresh);

        browser.Open(new Uri(gateway, "/admin#users"));
        var enrolled = browser.WaitFor(By.CssSelector("tr[data-user='phone-lost'] .login"), Refresh);
        browser.Click(By.CssSelector("tr[data-user='phone-lost'] button.reset-mfa"), Refresh);
        browser.Confirm(Refresh);
        var reset = browser.WaitFor(By.CssSelector("tr[data-user='phone-lost'] .login"), Refresh, text => text == "password");
        Fill(browser, "#group-login", ("group", "staff"));
        browser.Driver.FindElement(By.CssSelector("#group-login button.require-mfa")).Click();
        var policy = browser.WaitFor(By.CssSelector("#group-login .state"), Refresh, text => text.Contains("requires"));
        browser.Screenshot("11-mfa");

        Assert.Equal("password and MFA, 10 recovery codes left", enrolled);
        Assert.Equal("password", reset);
        Assert.Equal("staff: requires MFA, does not require single sign-on", policy);
        Assert.True((await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/groups/staff/mfa")).GetProperty("required").GetBoolean());
        Assert.Single((await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.reset-user-mfa"))!);
        Assert.Single((await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.set-group-mfa"))!);
    }

    [Fact]
    public async Task An_admin_logs_in_to_the_console_by_single_sign_on_with_the_role_their_provider_group_gives_and_one_without_a_role_is_refused()
    {
        await using var provider = await OidcProvider.StartAsync(
            new OidcUser("dana", "dana-at-the-provider", ["wg-helpdesk"]), new OidcUser("eve", "eve-at-the-provider", ["wg-users"]));
        await using var plane = await ControlPlane.StartAsync(provider.ConsoleSettings("wg-helpdesk=helpdesk", "wg-ops=admin"), nodes: 0);
        provider.AllowConsole(new Uri(plane.Http.BaseAddress!, "/admin/login/sso/callback").ToString());

        string SignOn(string user, string password, By landing)
        {
            using var browser = new Browser();
            browser.Open(new Uri(plane.Http.BaseAddress!, "/admin/login"));
            browser.Click(By.Id("sso"), Refresh);
            browser.LogInAtProvider(user, password, Refresh);
            var text = browser.WaitFor(landing, Refresh, text => text.Length > 0);
            browser.Screenshot($"13-console-sso-{user}");
            return text;
        }

        var dana = SignOn("dana", "dana-at-the-provider", By.Id("me"));
        var eve = SignOn("eve", "eve-at-the-provider", By.CssSelector("p.error"));
        var accounts = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/accounts");
        var audit = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.console-sso-login");

        Assert.Equal("dana (helpdesk)", dana);
        Assert.Contains("gives you no role", eve);
        Assert.Contains(accounts!, account => account.GetProperty("name").GetString() == "dana" && account.GetProperty("role").GetString() == "helpdesk");
        Assert.Equal(["refused", "ok"], audit!.Select(e => e.GetProperty("outcome").GetString()));
    }

    /// <summary>Logs in, as the plane's owner unless told: the plane's people need no TOTP.</summary>
    private static void LogIn(Browser browser, string password = ControlPlane.OwnerPassword, string account = ControlPlane.Owner)
    {
        browser.WaitFor(By.Id("name"), Refresh);
        Fill(browser, "#login", ("name", account), ("password", password));
        browser.Driver.FindElement(By.CssSelector("#login button")).Click();
    }

    private static void Fill(Browser browser, string form, params (string Name, string Text)[] fields)
    {
        foreach (var (name, text) in fields)
        {
            var input = browser.Driver.FindElement(By.CssSelector($"{form} [name={name}]"));
            input.Clear();
            input.SendKeys(text);
        }
    }
}
