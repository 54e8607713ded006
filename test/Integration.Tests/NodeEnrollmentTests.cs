using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace OrleansWg.Integration.Tests;

/// <summary>
/// Nodes join with a join token and the cluster's certificates only: every node of these planes
/// enrolled that way as it started. Its certificate renews itself before it expires, and an admin's
/// revocation is refused on every silo while its sessions move.
/// </summary>
public sealed class NodeEnrollmentTests
{
    // owg's watcher as the issue asks, with its pauses shortened like the control plane's.
    private static readonly Dictionary<string, string> Watcher = new() { ["OWG_WATCH_STALE"] = "5", ["OWG_WATCH_TICK"] = "1" };

    [Fact]
    public async Task A_join_token_enrolls_once_and_the_same_token_again_an_expired_a_forged_one_and_one_for_another_server_are_refused_and_audited()
    {
        // Join tokens of a few seconds: long enough for the plane's own node to enroll as it starts.
        var tokenLifetime = TimeSpan.FromSeconds(10);
        await using var plane = await ControlPlane.StartAsync(new() { ["Enrollment__JoinTokenLifetime"] = $"{tokenLifetime:c}" });
        var id = plane.ServerId;

        var token = await plane.JoinTokenAsync(id);
        var enrolled = await Enroll(plane, id, token, Request(id));
        var again = await Enroll(plane, id, token, Request(id));
        var forged = await Enroll(plane, id, "owgjoin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), Request(id));
        var elsewhere = await Enroll(plane, "no-such-server", await plane.JoinTokenAsync(id), Request(id));
        var badRequest = await Enroll(plane, id, await plane.JoinTokenAsync(id), "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");
        var noServer = await plane.Admin.PostAsync("/v1/admin/servers/no-such-server/join-token", null);
        // The last token of the server's, left until it has expired.
        var pending = await plane.JoinTokenAsync(id);
        await Task.Delay(tokenLifetime + TimeSpan.FromSeconds(1));
        var expired = await Enroll(plane, id, pending, Request(id));
        var audit = await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/audit?kind=enroll");

        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        var identity = await enrolled.Json();
        using var certificate = X509Certificate2.CreateFromPem(identity.GetProperty("certificate").GetString());
        Assert.Equal($"CN={id}, OU=node", certificate.Subject);
        Assert.DoesNotContain("PRIVATE KEY", identity.GetRawText(), StringComparison.Ordinal);
        Assert.All([again, forged, elsewhere, expired], refused => Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, badRequest.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noServer.StatusCode);
        Assert.Equal(["bad-request", "ok", "token-not-valid"], audit!.Select(e => e.GetProperty("outcome").GetString()).Distinct().Order());
        Assert.DoesNotContain(audit!, e => e.GetRawText().Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_whose_certificate_expires_renews_it_keeps_its_session_and_starts_again_with_the_renewed_one()
    {
        await using var plane = await ControlPlane.StartAsync(new() { ["Enrollment__CertificateLifetime"] = "00:00:12" });
        await using var internet = await InternetHost.CreateAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        await plane.CreateUser("renewer");
        var connect = await plane.Owg(client).ConnectTo(plane.ServerId, "renewer");
        Assert.True(connect.ExitCode == 0, connect.Error);
        var firstExpiry = (await Server(plane)).GetProperty("certificateExpiresAt").GetDateTimeOffset();

        // Past the first certificate's end, with a renewed one in use.
        await plane.WaitFor(async () => DateTimeOffset.UtcNow > firstExpiry + TimeSpan.FromSeconds(3)
                && (await Server(plane)).GetProperty("certificateExpiresAt").GetDateTimeOffset() > firstExpiry,
            "the node to renew its certificate and the first to expire");
        var fetchedThrough = await client.CanFetchAsync(internet.Url);
        var server = await Server(plane);
        await plane.KillNodeAsync();
        await plane.StartNodeAsync();

        Assert.True(fetchedThrough, "no traffic through the tunnel after the node's first certificate expired");
        Assert.Equal("up", server.GetProperty("status").GetString());
        Assert.True(server.GetProperty("lastSeen").GetDateTimeOffset() > firstExpiry, "no heartbeat heard after the first certificate expired");
        Assert.Contains("renewed its certificate", await File.ReadAllTextAsync(plane.NodeLog(0)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_node_is_refused_by_every_silo_within_a_heartbeat_and_its_session_moves_with_the_client()
    {
        await using var plane = await ControlPlane.StartAsync(nodes: 2, silos: 2);
        await using var internet = await InternetHost.CreateAsync();
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses, withWireGuard: false);
        var (survivor, revoked) = (plane.Nodes[0], plane.Nodes[1]);
        await plane.CreateUser("revoked-user");
        var connect = await plane.Owg(client, Watcher).ConnectTo(revoked.ServerId, "revoked-user");
        Assert.True(connect.ExitCode == 0, connect.Error);

        var revocation = await (await plane.Admin.PostAsync($"/v1/admin/servers/{revoked.ServerId}/revoke", null)).Json();
        var revokedAt = DateTimeOffset.UtcNow;
        var follows = await client.FetchesWithinAsync(internet.Url, TimeSpan.FromSeconds(20));
        // Heartbeats come every second (Node:HeartbeatInterval here), through either silo's gateway.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var server = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/servers"))!.Single(s => s.GetProperty("id").GetString() == revoked.ServerId);
        var session = await plane.Admin.GetFromJsonAsync<JsonElement>($"/v1/admin/sessions/{OwgClient.SessionIdOf(connect)}");
        var nodeLog = await File.ReadAllTextAsync(plane.NodeLog(1));

        Assert.Equal(OwgClient.SessionIdOf(connect), Assert.Single(revocation.GetProperty("moved").EnumerateArray()).GetString());
        Assert.True(follows, "no traffic through the tunnel after the move");
        Assert.Equal("revoked", server.GetProperty("status").GetString());
        Assert.True(server.GetProperty("lastSeen").GetDateTimeOffset() < revokedAt + TimeSpan.FromSeconds(1), "a heartbeat of the revoked node was taken");
        Assert.Contains("does not admit this node's certificate", nodeLog, StringComparison.Ordinal);
        Assert.Equal(survivor.ServerId, session.GetProperty("serverId").GetString());
        Assert.Equal("revoked", Assert.Single(session.GetProperty("moves").EnumerateArray()).GetProperty("reason").GetString());
    }

    private static async Task<JsonElement> Server(ControlPlane plane) =>
        (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/servers"))!.Single(s => s.GetProperty("id").GetString() == plane.ServerId);

    private static Task<HttpResponseMessage> Enroll(ControlPlane plane, string serverId, string token, string request) =>
        plane.Http.PostAsJsonAsync($"/v1/nodes/{serverId}/enroll", new { token, certificateRequest = request });

    private static string Request(string serverId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest($"CN={serverId}", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }
}
