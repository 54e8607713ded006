using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>The admin API of DNS policies, against the shared control plane: each test has a group of its own.</summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class DnsApiTests(ControlPlaneFixture fixture)
{
    private readonly ControlPlane plane = fixture.Plane;
    private readonly string group = $"g{Guid.NewGuid():N}"[..12];

    private string Path => $"/v1/admin/groups/{group}/dns";

    [Fact]
    public async Task A_group_takes_the_cluster_default_until_it_has_a_policy_of_its_own_and_again_once_it_is_reset()
    {
        var inherited = await plane.Admin.GetFromJsonAsync<JsonElement>(Path);
        var set = await plane.Admin.PutAsJsonAsync(Path, new
        {
            upstreams = new[] { "198.18.9.53" }, dnssec = false, searchDomains = new[] { "Corp.Example." }, blocked = new[] { "ads.example" },
            allowed = new[] { "ok.ads.example" }, routes = new[] { "198.18.0.0/15", "2001:2::/48" },
        });
        var own = await plane.Admin.GetFromJsonAsync<JsonElement>(Path);
        var reset = await plane.Admin.DeleteAsync(Path);
        var again = await plane.Admin.GetFromJsonAsync<JsonElement>(Path);

        Assert.True(inherited.GetProperty("inherited").GetBoolean());
        // The plane's Dns__Upstreams, which an admin who saves the group's policy does not copy into it.
        Assert.Equal(0, inherited.GetProperty("upstreams").GetArrayLength());
        Assert.Equal("127.0.0.1", inherited.GetProperty("upstreamsInUse")[0].GetString());
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        Assert.False(own.GetProperty("inherited").GetBoolean());
        Assert.Equal("corp.example", own.GetProperty("searchDomains")[0].GetString());
        Assert.Equal(2, own.GetProperty("routes").GetArrayLength());
        Assert.False(own.GetProperty("dnssec").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(inherited.GetProperty("stamp").GetString(), again.GetProperty("stamp").GetString());
    }

    [Theory]
    [InlineData("{\"upstreams\":[\"resolver.example\"]}", "upstreams")]
    [InlineData("{\"upstreams\":[\"198.18.9.53\",\"198.18.9.54\",\"198.18.9.55\",\"198.18.9.56\",\"198.18.9.57\",\"198.18.9.58\",\"198.18.9.59\",\"198.18.9.60\",\"198.18.9.61\"]}", "upstreams")]
    [InlineData("{\"blocked\":[\"not a name\"]}", "blocked")]
    [InlineData("{\"allowed\":[\"-bad.example\"]}", "allowed")]
    [InlineData("{\"searchDomains\":[\"a.example\",\"b.example\",\"c.example\",\"d.example\",\"e.example\",\"f.example\",\"g.example\"]}", "searchDomains")]
    [InlineData("{\"routes\":[\"198.18.0.5/15\"]}", "routes")]
    [InlineData("{\"routes\":[\"198.18.0.0\"]}", "routes")]
    [InlineData("{\"dnssec\":\"yes\"}", "dnssec")]
    [InlineData("{\"blocked\":\"ads.example\"}", "blocked")]
    public async Task A_bad_policy_is_a_400_naming_its_field_and_changes_nothing(string body, string field)
    {
        var before = await plane.Admin.GetStringAsync(Path);

        var response = await plane.Admin.PutAsync(Path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await plane.Admin.GetStringAsync(Path));
    }

    [Fact]
    public async Task A_policy_with_more_names_than_allowed_is_a_400()
    {
        var names = Enumerable.Range(0, 10_001).Select(i => $"n{i}.example").ToArray();

        var response = await plane.Admin.PutAsJsonAsync(Path, new { blocked = names });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_blocklist_file_in_the_hosts_format_or_one_name_a_line_is_imported_and_a_bad_line_or_too_many_names_is_a_400()
    {
        var hosts = "# a published list\n0.0.0.0 ads.example tracker.example\n127.0.0.1 localhost\n\n0.0.0.0 ads.example # again\nmalware.example\n";
        var imported = await plane.Admin.PutAsync($"{Path}/blocklist", new StringContent(hosts, Encoding.UTF8, "text/plain"));
        var policy = await plane.Admin.GetFromJsonAsync<JsonElement>(Path);
        var bad = await plane.Admin.PutAsync($"{Path}/blocklist", new StringContent("ads.example\nhttp://evil.example/\n", Encoding.UTF8, "text/plain"));
        var tooMany = await plane.Admin.PutAsync($"{Path}/blocklist",
            new StringContent(string.Join('\n', Enumerable.Range(0, 200_001).Select(i => $"n{i}.example")), Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.NoContent, imported.StatusCode);
        Assert.Equal(3, policy.GetProperty("blocklistSize").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("line 2", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("more than 200000 names", await tooMany.Content.ReadAsStringAsync());
        Assert.Equal(3, (await plane.Admin.GetFromJsonAsync<JsonElement>(Path)).GetProperty("blocklistSize").GetInt32());
    }

    [Fact]
    public async Task Every_change_of_a_dns_policy_is_in_the_audit_log_with_its_group()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.PutAsJsonAsync(Path, new { blocked = new[] { "ads.example" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await plane.Admin.DeleteAsync(Path)).StatusCode);

        var audit = await plane.Admin.GetStringAsync("/v1/admin/audit?kind=admin.&limit=200");

        Assert.Contains($"group {group}", audit);
        Assert.Contains("admin.set-group-dns", audit);
        Assert.Contains("admin.reset-group-dns", audit);
    }
}
