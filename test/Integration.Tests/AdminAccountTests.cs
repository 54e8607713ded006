using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpNet;

namespace OrleansWg.Integration.Tests;

/// <summary>Admin accounts and their API tokens, through a real Gateway and cluster.</summary>
public sealed class AdminAccountTests
{
    private const string Password = "a-password-of-this-test";

    [Fact]
    public async Task The_bootstrap_secret_makes_the_first_owner_once_and_the_last_owner_can_be_neither_deleted_nor_demoted()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);

        var again = await Bootstrap(plane, ControlPlane.BootstrapToken, "second-owner");
        var wrongSecret = await Bootstrap(plane, "not-the-bootstrap-token", "third-owner");
        var delete = await plane.Admin.DeleteAsync($"/v1/admin/accounts/{ControlPlane.Owner}");
        var demote = await plane.Admin.PutAsJsonAsync($"/v1/admin/accounts/{ControlPlane.Owner}/role", new { role = "admin" });
        var accounts = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/accounts");
        var tries = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.bootstrap");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (delete.StatusCode, demote.StatusCode));
        Assert.Equal([(ControlPlane.Owner, "owner")], accounts!.Select(a => (a.GetProperty("name").GetString(), a.GetProperty("role").GetString())));
        Assert.Equal(["wrong-secret", "done-already", "ok"], tries!.Select(e => e.GetProperty("outcome").GetString()));
        Assert.Equal([null, null, ControlPlane.Owner], tries!.Select(e => e.GetProperty("actor").GetString()));
        var deleteRefused = Assert.Single((await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.delete-account"))!);
        var demoteRefused = Assert.Single((await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.set-account-role"))!);
        Assert.Equal(("conflict", "conflict"), (deleteRefused.GetProperty("outcome").GetString(), demoteRefused.GetProperty("outcome").GetString()));
        Assert.StartsWith($"account {ControlPlane.Owner} role admin by token ", demoteRefused.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_helpdesk_resets_a_users_password_but_makes_no_admin_account_or_token_and_the_audit_names_each_actor_and_role()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);
        await plane.CreateUser("dora");
        Assert.Equal(HttpStatusCode.Created, (await plane.Admin.PostAsJsonAsync("/v1/admin/accounts", new { name = "hd", role = "helpdesk" })).StatusCode);
        using var helpdesk = plane.ClientWith(await plane.IssueTokenAsync("helpdesk", account: "hd"));

        var password = await helpdesk.PutAsJsonAsync("/v1/admin/users/dora/password", new { password = Password });
        var admin = await helpdesk.PostAsJsonAsync("/v1/admin/accounts", new { name = "mallory", role = "admin", password = Password });
        var adminToken = await helpdesk.PostAsJsonAsync("/v1/admin/tokens", new { name = "more", role = "admin" });
        var otherAccountsToken = await helpdesk.PostAsJsonAsync("/v1/admin/tokens", new { name = "theirs", account = ControlPlane.Owner, role = "helpdesk" });
        var server = await helpdesk.PutAsJsonAsync("/v1/admin/servers/rogue", new { capacity = 1000, publicAddress = "198.18.9.9" });
        var me = await helpdesk.GetFromJsonAsync<JsonElement>("/v1/admin/me");
        var audit = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=admin.");

        Assert.Equal(HttpStatusCode.NoContent, password.StatusCode);
        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden],
            [admin.StatusCode, adminToken.StatusCode, otherAccountsToken.StatusCode, server.StatusCode]);
        Assert.Equal(("hd", "helpdesk"), (me.GetProperty("account").GetString(), me.GetProperty("role").GetString()));
        Assert.DoesNotContain(await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/accounts") ?? [], a => a.GetProperty("name").GetString() == "mallory");
        var reset = audit!.Single(e => e.GetProperty("kind").GetString() == "admin.set-password");
        Assert.Equal(("hd", "helpdesk", "dora"), (reset.GetProperty("actor").GetString(), reset.GetProperty("actorRole").GetString(), reset.GetProperty("user").GetString()));
        Assert.StartsWith("by token ", reset.GetProperty("detail").GetString());
        var made = audit!.Single(e => e.GetProperty("kind").GetString() == "admin.create-account");
        Assert.Equal((ControlPlane.Owner, "owner"), (made.GetProperty("actor").GetString(), made.GetProperty("actorRole").GetString()));
        Assert.StartsWith("account hd by token ", made.GetProperty("detail").GetString());
        Assert.All(audit!.Where(e => e.GetProperty("kind").GetString() != "admin.bootstrap"), e => Assert.False(string.IsNullOrEmpty(e.GetProperty("actor").GetString())));
    }

    [Fact]
    public async Task A_revoked_token_is_refused_at_once_an_expired_one_from_its_expiry_and_a_deleted_accounts_tokens_with_it()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);
        Assert.Equal(HttpStatusCode.Created, (await plane.Admin.PostAsJsonAsync("/v1/admin/accounts", new { name = "ops", role = "admin" })).StatusCode);
        var kept = await plane.IssueTokenAsync("admin", account: "ops");
        var toRevoke = await plane.IssueTokenAsync("auditor", account: "ops");
        var expiring = await plane.IssueTokenAsync("auditor", account: "ops", expires: DateTimeOffset.UtcNow.AddSeconds(3));
        using var keptClient = plane.ClientWith(kept);
        using var revokedClient = plane.ClientWith(toRevoke);
        using var expiringClient = plane.ClientWith(expiring);
        var usedBefore = await revokedClient.GetAsync("/v1/admin/users");
        var expiringBefore = await expiringClient.GetAsync("/v1/admin/users");

        var revoke = await keptClient.DeleteAsync($"/v1/admin/tokens/{toRevoke.Split('_')[1]}");
        var revokedAfter = await revokedClient.GetAsync("/v1/admin/users");
        await Task.Delay(TimeSpan.FromSeconds(4));
        var expiredAfter = await expiringClient.GetAsync("/v1/admin/users");
        var listed = await keptClient.GetFromJsonAsync<JsonElement[]>("/v1/admin/tokens");
        var tooLong = await keptClient.PostAsJsonAsync("/v1/admin/tokens", new { name = "forever", expires = DateTimeOffset.UtcNow.AddDays(400) });
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.DeleteAsync("/v1/admin/accounts/ops")).StatusCode);
        var keptAfterDelete = await keptClient.GetAsync("/v1/admin/users");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (usedBefore.StatusCode, expiringBefore.StatusCode));
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (revokedAfter.StatusCode, expiredAfter.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keptAfterDelete.StatusCode);
        var revokedView = listed!.Single(t => t.GetProperty("id").GetString() == toRevoke.Split('_')[1]);
        Assert.True(revokedView.GetProperty("revoked").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, revokedView.GetProperty("lastUsed").ValueKind);
        Assert.DoesNotContain(listed!, t => t.GetRawText().Contains(toRevoke.Split('_', 3)[2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_sets_up_totp_at_the_first_console_login_then_needs_a_fresh_code_and_a_new_password_ends_the_login()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);
        (await plane.Admin.PutAsJsonAsync("/v1/admin/settings", new { maxTokenLifetimeDays = 365, totpRequiredFor = new[] { "owner", "admin" } })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Created, (await plane.Admin.PostAsJsonAsync("/v1/admin/accounts", new { name = "alice", role = "admin", password = Password })).StatusCode);
        using var browser = ConsoleClient(plane);

        var setup = await LogIn(browser, "alice", Password, code: null);
        var page = await setup.Content.ReadAsStringAsync();
        var secret = Regex.Match(page, "<code id=\"secret\">([A-Z2-7]+)</code>").Groups[1].Value;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        var wrongCode = await browser.PostAsync("/admin/login/totp", Form(("code", "000000")));
        var setupCode = totp.ComputeTotp(DateTime.UtcNow);
        var confirmed = await browser.PostAsync("/admin/login/totp", Form(("code", setupCode)));
        var consoleAfterSetup = await browser.GetAsync("/admin/csrf");
        using var secondBrowser = ConsoleClient(plane);
        var withoutCode = await LogIn(secondBrowser, "alice", Password, code: null);
        var replayedCode = await LogIn(secondBrowser, "alice", Password, setupCode);
        var withFreshCode = await LogIn(secondBrowser, "alice", Password, totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        var secondConsole = await secondBrowser.GetAsync("/admin/csrf");
        (await plane.Admin.PutAsJsonAsync("/v1/admin/accounts/alice/password", new { password = "a-new-password-of-this-test" })).EnsureSuccessStatusCode();
        var afterNewPassword = await secondBrowser.GetAsync("/admin/csrf");
        var account = await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/accounts/alice");

        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        Assert.Contains("<svg", page);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.StatusCode);
        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.OK), (confirmed.StatusCode, consoleAfterSetup.StatusCode));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (withoutCode.StatusCode, replayedCode.StatusCode));
        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.OK), (withFreshCode.StatusCode, secondConsole.StatusCode));
        Assert.NotEqual(HttpStatusCode.OK, afterNewPassword.StatusCode);
        Assert.True(account.GetProperty("totp").GetBoolean());
    }

    [Fact]
    public async Task A_person_changes_their_own_password_only_by_giving_the_one_they_have_and_a_service_account_has_none_to_change()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);
        Assert.Equal(HttpStatusCode.Created, (await plane.Admin.PostAsJsonAsync("/v1/admin/accounts", new { name = "pat", role = "auditor", password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await plane.Admin.PostAsJsonAsync("/v1/admin/accounts", new { name = "bot", role = "auditor" })).StatusCode);
        using var pat = plane.ClientWith(await plane.IssueTokenAsync("auditor", account: "pat"));
        using var bot = plane.ClientWith(await plane.IssueTokenAsync("auditor", account: "bot"));
        using var browser = ConsoleClient(plane);

        var wrongCurrent = await pat.PutAsJsonAsync("/v1/admin/me/password", new { currentPassword = "not it", password = "pats-new-password" });
        var changed = await pat.PutAsJsonAsync("/v1/admin/me/password", new { currentPassword = Password, password = "pats-new-password" });
        var service = await bot.PutAsJsonAsync("/v1/admin/me/password", new { currentPassword = "anything", password = "a-bots-password" });
        var oldPassword = await LogIn(browser, "pat", Password, code: null);
        var newPassword = await LogIn(browser, "pat", "pats-new-password", code: null);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.NoContent, HttpStatusCode.BadRequest), (wrongCurrent.StatusCode, changed.StatusCode, service.StatusCode));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Redirect), (oldPassword.StatusCode, newPassword.StatusCode));
    }

    private static Task<HttpResponseMessage> Bootstrap(ControlPlane plane, string secret, string name) =>
        plane.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/bootstrap")
        {
            Headers = { Authorization = new("Bearer", secret) },
            Content = JsonContent.Create(new { name, password = Password }),
        });

    /// <summary>A client that keeps cookies, as a browser does, and does not follow redirects.</summary>
    private static HttpClient ConsoleClient(ControlPlane plane) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = plane.Http.BaseAddress };

    private static Task<HttpResponseMessage> LogIn(HttpClient browser, string name, string password, string? code) =>
        browser.PostAsync("/admin/login", Form(("name", name), ("password", password), ("code", code ?? "")));

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value)));
}
