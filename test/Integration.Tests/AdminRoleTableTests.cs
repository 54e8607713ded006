using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>Which role may call which admin endpoint: the table, asked of a real Gateway with a token of each role.</summary>
public sealed class AdminRoleTableTests
{
    private const string Everyone = "owner admin helpdesk auditor";
    private const string Readers = "owner admin auditor";
    private const string Helpers = "owner admin helpdesk";
    private const string Managers = "owner admin";

    private static readonly string[] Roles = ["owner", "admin", "helpdesk", "auditor", "metrics"];

    /// <summary>Every admin endpoint and the roles that may call it; every other role gets 403.</summary>
    private static readonly (string Method, string Path, string Allowed)[] Table =
    [
        ("GET", "/v1/admin/users", Everyone),
        ("POST", "/v1/admin/users", Managers),
        ("GET", "/v1/admin/users/{name}", Everyone),
        ("DELETE", "/v1/admin/users/{name}", Managers),
        ("PUT", "/v1/admin/users/{name}/password", Helpers),
        ("POST", "/v1/admin/users/{name}/lock", Helpers),
        ("DELETE", "/v1/admin/users/{name}/lock", Helpers),
        ("DELETE", "/v1/admin/users/{name}/mfa", Helpers),
        ("GET", "/v1/admin/users/{name}/permissions", Everyone),
        ("PUT", "/v1/admin/users/{name}/permissions", Managers),
        ("GET", "/v1/admin/users/{name}/limits", Everyone),
        ("PUT", "/v1/admin/users/{name}/limits", Managers),
        ("GET", "/v1/admin/groups/{group}/limits", Readers),
        ("PUT", "/v1/admin/groups/{group}/limits", Managers),
        ("GET", "/v1/admin/groups/{group}/mfa", Readers),
        ("PUT", "/v1/admin/groups/{group}/mfa", Managers),
        ("GET", "/v1/admin/groups/{group}/sso", Readers),
        ("PUT", "/v1/admin/groups/{group}/sso", Managers),
        ("GET", "/v1/admin/servers", Readers),
        ("PUT", "/v1/admin/servers/{id}", Managers),
        ("POST", "/v1/admin/servers/{id}/drain", Managers),
        ("DELETE", "/v1/admin/servers/{id}/drain", Managers),
        ("POST", "/v1/admin/servers/{id}/evacuate", Managers),
        ("POST", "/v1/admin/servers/{id}/join-token", Managers),
        ("POST", "/v1/admin/servers/{id}/revoke", Managers),
        ("GET", "/v1/admin/sessions", Everyone),
        ("GET", "/v1/admin/sessions/{id}", Everyone),
        ("DELETE", "/v1/admin/sessions/{id}", Helpers),
        ("GET", "/v1/admin/audit", Readers),
        ("GET", "/v1/admin/dns", Readers),
        ("PUT", "/v1/admin/dns", Managers),
        ("PUT", "/v1/admin/dns/blocklist", Managers),
        ("GET", "/v1/admin/groups/{group}/dns", Readers),
        ("PUT", "/v1/admin/groups/{group}/dns", Managers),
        ("DELETE", "/v1/admin/groups/{group}/dns", Managers),
        ("PUT", "/v1/admin/groups/{group}/dns/blocklist", Managers),
        ("GET", "/v1/admin/me", Everyone + " metrics"),
        ("PUT", "/v1/admin/me/password", Everyone),
        ("GET", "/v1/admin/tokens", Everyone),
        ("POST", "/v1/admin/tokens", Everyone),
        ("DELETE", "/v1/admin/tokens/{id}", Everyone),
        ("GET", "/v1/admin/accounts", "owner"),
        ("POST", "/v1/admin/accounts", "owner"),
        ("GET", "/v1/admin/accounts/{account}", "owner"),
        ("DELETE", "/v1/admin/accounts/{account}", "owner"),
        ("PUT", "/v1/admin/accounts/{account}/role", "owner"),
        ("PUT", "/v1/admin/accounts/{account}/password", "owner"),
        ("DELETE", "/v1/admin/accounts/{account}/totp", "owner"),
        ("GET", "/v1/admin/settings", "owner"),
        ("PUT", "/v1/admin/settings", "owner"),
        ("GET", "/metrics", Readers + " metrics"),
        ("GET", "/dashboard/", Managers),
    ];

    [Fact]
    public async Task Every_admin_endpoint_answers_each_role_as_the_table_says_and_an_expired_a_revoked_or_no_token_gets_401()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 0);
        var tokens = new Dictionary<string, string>();
        foreach (var role in Roles)
        {
            tokens[role] = await plane.IssueTokenAsync(role);
        }

        var expired = await plane.IssueTokenAsync("owner", expires: DateTimeOffset.UtcNow.AddSeconds(2));
        var revoked = await plane.IssueTokenAsync("owner");
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.DeleteAsync($"/v1/admin/tokens/{TokenId(revoked)}")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var documented = (await plane.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/v1/admin/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"));

        var wrong = new List<string>();
        foreach (var (method, path, allowed) in Table)
        {
            foreach (var (who, token) in tokens.Append(new("expired", expired)).Append(new("revoked", revoked)).Append(new("nobody", "")))
            {
                var status = await Send(plane, method, path, token);
                var expected = who is "expired" or "revoked" or "nobody" ? "401" : allowed.Split(' ').Contains(who) ? "allowed" : "403";
                var got = status is HttpStatusCode.Unauthorized ? "401" : status is HttpStatusCode.Forbidden ? "403" : "allowed";
                if (got != expected)
                {
                    wrong.Add($"{method} {path} as {who}: {(int)status}, expected {expected}");
                }
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(documented.Order(), Table.Where(row => row.Path.StartsWith("/v1/admin/", StringComparison.Ordinal)).Select(row => $"{row.Method} {row.Path}").Order());
    }

    /// <summary>The endpoint, on names that do not exist and with an empty body: what is allowed answers 400 or 404 and changes nothing that matters.</summary>
    private static async Task<HttpStatusCode> Send(ControlPlane plane, string method, string path, string token)
    {
        var concrete = path.Replace("{name}", "nobody").Replace("{group}", "nogroup").Replace("{account}", "nobody")
            .Replace("{id}", path.Contains("/tokens/", StringComparison.Ordinal) ? "0123456789ab" : path.Contains("/servers/", StringComparison.Ordinal) ? "noserver" : $"{Guid.NewGuid()}");
        using var request = new HttpRequestMessage(new HttpMethod(method), concrete);
        if (token.Length > 0)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        if (method is "PUT" or "POST")
        {
            request.Content = path.EndsWith("/blocklist", StringComparison.Ordinal)
                ? new StringContent("", Encoding.UTF8, "text/plain")
                : new StringContent(path.EndsWith("/dns", StringComparison.Ordinal) ? """{"upstreams":["not an address"]}""" : "{}", Encoding.UTF8, "application/json");
        }

        return (await plane.Http.SendAsync(request)).StatusCode;
    }

    private static string TokenId(string token) => token.Split('_')[1];
}
