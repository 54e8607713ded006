using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenQA.Selenium;

namespace OrleansWg.Integration.Tests;

/// <summary>Single sign-on with a real OpenID Connect provider (npm's oidc-provider), a real browser and owg in a client namespace.</summary>
public sealed partial class SsoTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Owg_connect_sso_connects_once_the_user_logs_in_in_a_browser_on_their_groups_servers_and_the_provider_disabling_them_ends_it_and_refuses_their_next_login()
    {
        await using var provider = await OidcProvider.StartAsync(new OidcUser("alice", "alice-at-the-provider", ["wg-staff", "unmapped"]));
        await using var plane = await ControlPlane.StartAsync(provider.Settings(TimeSpan.FromSeconds(2), "wg-staff=staff"));
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.PutAsJsonAsync($"/v1/admin/servers/{plane.ServerId}", new { group = "staff" })).StatusCode);
        await using var internet = await InternetHost.CreateAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var owg = plane.Owg(client);

        await using var connect = owg.StartSsoConnect();
        var code = (await WaitForLine(connect, CodeLine(), Limit)).Groups["code"].Value;
        var page = (await WaitForLine(connect, OpenLine(), Limit)).Groups["page"].Value;
        using (var browser = new Browser())
        {
            browser.Open(new Uri(page));
            browser.Click(By.CssSelector("#continue"), Limit);
            browser.LogInAtProvider("alice", "alice-at-the-provider", Limit);
            browser.WaitFor(By.Id("success"), Limit);
            browser.Screenshot("12-sso-device-login");
        }

        var connected = await WaitForLine(connect, ConnectedLine(), Limit);
        var fetched = await client.CanFetchAsync(internet.Url);
        var user = await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/users/alice");
        provider.SetDisabled("alice", true);
        await plane.WaitFor(async () => (await plane.ConnectedAddressesAsync("alice")).Count == 0, "alice's session to end once the provider disabled her");
        var audit = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?user=alice&kind=sso");
        var again = await (await plane.Http.PostAsJsonAsync("/v1/sso/device", new { })).Json();
        string refusedAgain;
        using (var browser = new Browser())
        {
            browser.Open(new Uri(again.GetProperty("verificationUriComplete").GetString()!));
            browser.Click(By.CssSelector("#continue"), Limit);
            browser.LogInAtProvider("alice", "alice-at-the-provider", Limit);
            refusedAgain = browser.WaitFor(By.Id("error"), Limit);
        }

        var stillPending = await plane.Http.PostAsJsonAsync("/v1/sso/token", new { deviceCode = again.GetProperty("deviceCode").GetString() });

        Assert.Matches("^[A-Z]{4}-[A-Z]{4}$", code);
        Assert.Equal(plane.ServerId, connected.Groups["server"].Value);
        Assert.True(fetched);
        Assert.Equal(["staff"], user.GetProperty("permissions").GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["revoked", "created"], audit!.Select(e => e.GetProperty("outcome").GetString()));
        Assert.Equal("Account disabled", refusedAgain);
        Assert.Equal("authorization-pending", (await stillPending.Json()).GetProperty("code").GetString());
        Assert.Equal("refused-by-provider", (await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/users/alice")).GetProperty("sso").GetString());
        await plane.WaitFor(async () => !await client.HasInterfaceAsync(), "owg's watcher to take the tunnel down");
    }

    [Fact]
    public async Task A_device_login_is_pending_until_the_user_logs_in_and_the_grant_connects_only_its_user_once_the_provider_allows_them()
    {
        await using var provider = await OidcProvider.StartAsync(new OidcUser("bob", "bob-at-the-provider", []));
        await using var plane = await ControlPlane.StartAsync(provider.Settings(TimeSpan.FromMinutes(5)));
        await plane.CreateUser("carol");

        var device = await (await plane.Http.PostAsJsonAsync("/v1/sso/device", new { })).Json();
        var pending = await plane.Http.PostAsJsonAsync("/v1/sso/token", new { deviceCode = device.GetProperty("deviceCode").GetString() });
        var token = await LogInOnDevicePage(plane, device, "bob", "bob-at-the-provider");
        var grant = token.GetProperty("ssoGrant").GetString();
        var asCarol = await plane.Http.PostAsJsonAsync("/v1/connect", new { username = "carol", ssoGrant = grant, publicKey = WireGuardKey.CreatePair().PublicKey });
        var withPassword = await plane.Http.PostAsJsonAsync("/v1/connect", new { username = "bob", password = "bob-at-the-provider", publicKey = WireGuardKey.CreatePair().PublicKey });
        var asBob = await plane.Http.PostAsJsonAsync("/v1/connect", new { username = "bob", ssoGrant = grant, publicKey = WireGuardKey.CreatePair().PublicKey });

        Assert.Equal(HttpStatusCode.BadRequest, pending.StatusCode);
        Assert.Equal("authorization-pending", (await pending.Json()).GetProperty("code").GetString());
        Assert.Equal("bob", token.GetProperty("username").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, asCarol.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asBob.StatusCode);
    }

    [Fact]
    public async Task A_provider_that_stops_answering_ends_no_session_of_its_users()
    {
        await using var provider = await OidcProvider.StartAsync(new OidcUser("fay", "fay-at-the-provider", []));
        await using var plane = await ControlPlane.StartAsync(provider.Settings(TimeSpan.FromSeconds(1)));
        var device = await (await plane.Http.PostAsJsonAsync("/v1/sso/device", new { })).Json();
        var token = await LogInOnDevicePage(plane, device, "fay", "fay-at-the-provider");
        var connect = await plane.Http.PostAsJsonAsync("/v1/connect",
            new { username = "fay", ssoGrant = token.GetProperty("ssoGrant").GetString(), publicKey = WireGuardKey.CreatePair().PublicKey });

        await provider.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(6)); // six re-check periods, each failing to reach the provider
        var user = await plane.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/users/fay");

        Assert.Equal(HttpStatusCode.OK, connect.StatusCode);
        Assert.Single(await plane.ConnectedAddressesAsync("fay"));
        Assert.Equal("allowed", user.GetProperty("sso").GetString());
        Assert.Contains("re-check of fay with the identity provider failed", File.ReadAllText(plane.SiloLog(0)));
    }

    [Fact]
    public async Task Without_a_provider_single_sign_on_answers_404_sso_not_configured()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);

        var device = await plane.Http.PostAsJsonAsync("/v1/sso/device", new { });

        Assert.Equal(HttpStatusCode.NotFound, device.StatusCode);
        Assert.Equal("sso-not-configured", (await device.Json()).GetProperty("code").GetString());
    }

    /// <summary>Logs the user in at the provider's page of a device login, as a person does in a browser, and polls for the grant.</summary>
    private static async Task<JsonElement> LogInOnDevicePage(ControlPlane plane, JsonElement device, string user, string password)
    {
        using (var browser = new Browser())
        {
            browser.Open(new Uri(device.GetProperty("verificationUriComplete").GetString()!));
            browser.Click(By.CssSelector("#continue"), Limit);
            browser.LogInAtProvider(user, password, Limit);
            browser.WaitFor(By.Id("success"), Limit);
        }

        var token = await plane.Http.PostAsJsonAsync("/v1/sso/token", new { deviceCode = device.GetProperty("deviceCode").GetString() });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        return await token.Json();
    }

    /// <summary>Waits until a line of the process's output matches <paramref name="line"/>.</summary>
    private static async Task<Match> WaitForLine(ChildProcess process, Regex line, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(process.LogPath) && File.ReadLines(process.LogPath).Select(l => line.Match(l)).FirstOrDefault(m => m.Success) is { } match)
            {
                return match;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no line like {line} within {limit}; see {process.LogPath}");
    }

    [GeneratedRegex(@"^To connect, log in at http\S+ and enter the code (?<code>\S+)$")]
    private static partial Regex CodeLine();

    [GeneratedRegex(@"^\(or open (?<page>http\S+), or scan the QR code\)$")]
    private static partial Regex OpenLine();

    [GeneratedRegex(@"^connected: server (?<server>\S+), address \S+, session \S+$")]
    private static partial Regex ConnectedLine();
}
