using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansWg.Grains.Tests;

/// <summary>
/// A node joins with a join token an admin got: once, before it expires, for the server it was made
/// for; what it gets is a certificate of its own key that names its server and role, and a
/// credential bound to that certificate, which the server stops admitting once an admin revokes it.
/// </summary>
[Collection(FakeClockClusterCollection.Name)]
public sealed class NodeCertificateTests(FakeClockClusterFixture fixture)
{
    private readonly TestWorld world = new(fixture.Client);

    private readonly RecordingNodeAgent agent = new();

    [Fact]
    public async Task A_join_token_enrolls_once_and_a_used_an_expired_a_forged_or_another_servers_token_is_refused()
    {
        var server = await MadeServer("once");
        var other = await MadeServer("other");
        var token = (await server.IssueJoinToken(null))!;
        var otherToken = (await other.IssueJoinToken(null))!;
        var shortLived = (await other.IssueJoinToken(TimeSpan.FromMinutes(1)))!;
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));

        var enrolled = await server.Enroll(token.Text, Request("once"));
        var again = await server.Enroll(token.Text, Request("once"));
        var expired = await other.Enroll(shortLived.Text, Request("other"));
        var forged = await server.Enroll("owgjoin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), Request("once"));
        var othersToken = await server.Enroll(otherToken.Text, Request("once"));

        Assert.NotNull(enrolled.Identity);
        Assert.All([again, expired, forged, othersToken], refused => Assert.Equal(EnrollmentRefusal.TokenNotValid, refused.Refusal));
        Assert.Null(await fixture.Client.GetGrain<IServerGrain>(world.Name("unmade")).IssueJoinToken(null));
    }

    [Fact]
    public async Task A_request_that_is_not_one_is_refused_and_the_token_still_enrolls()
    {
        var server = await MadeServer("bad-request");
        var token = (await server.IssueJoinToken(null))!;

        var bad = await server.Enroll(token.Text, "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgcmVxdWVzdA==\n-----END CERTIFICATE REQUEST-----\n");
        var good = await server.Enroll(token.Text, Request("bad-request"));

        Assert.Equal(EnrollmentRefusal.BadRequest, bad.Refusal);
        Assert.NotNull(good.Identity);
    }

    [Fact]
    public async Task The_certificate_names_the_server_and_role_node_whatever_was_asked_and_its_credential_is_bound_to_it()
    {
        var id = world.Name("named");
        var server = await MadeServer("named");

        var identity = (await server.Enroll((await server.IssueJoinToken(null))!.Text, Request("a-silo", role: "silo"))).Identity!;
        using var certificate = X509Certificate2.CreateFromPem(identity.CertificatePem);
        var role = RoleCredential.Verify(identity.Credential, TestAuthorities.Authority, TestAuthorities.NodeAuthority)!;

        Assert.Equal($"CN={id}, OU=node", certificate.Subject);
        Assert.Equal((CallerRole.Node, id, certificate.SerialNumber), (role.Role, role.ServerId, role.Serial));
        Assert.Equal(new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), role.ExpiresAt);
        Assert.True(CertificateChains.ChainsTo(certificate, TestAuthorities.Authority, out var throughNodeAuthority, TestAuthorities.NodeAuthority, fixture.Clock.GetUtcNow()));
        Assert.True(throughNodeAuthority);
        Assert.Null(RoleCredential.Verify(identity.Credential, TestAuthorities.Authority));
    }

    [Fact]
    public void A_credential_the_node_CA_signed_grants_role_node_only()
    {
        using var key = TestAuthorities.NodeAuthority.GetECDsaPrivateKey()!;

        var asSilo = RoleCredential.Sign(new CallerRole(CallerRole.Silo, null), key);
        var asNode = RoleCredential.Sign(new CallerRole(CallerRole.Node, "n1", "01", DateTimeOffset.UtcNow.AddHours(1)), key);

        Assert.Null(RoleCredential.Verify(asSilo, TestAuthorities.Authority, TestAuthorities.NodeAuthority));
        Assert.Equal(CallerRole.Node, RoleCredential.Verify(asNode, TestAuthorities.Authority, TestAuthorities.NodeAuthority)?.Role);
    }

    [Fact]
    public async Task A_renewal_keeps_only_the_certificate_it_renews_beside_the_new_one_and_an_enrollment_none_before_it()
    {
        var server = await MadeServer("renewed");
        var first = (await server.Enroll((await server.IssueJoinToken(null))!.Text, Request("renewed"))).Identity!;

        var tooEarly = await AsNode(first, () => server.RenewCertificate(Request("renewed")));
        fixture.Clock.Advance(TimeSpan.FromDays(20));
        var second = (await AsNode(first, () => server.RenewCertificate(Request("renewed")))).Identity!;
        var third = (await AsNode(first, () => server.RenewCertificate(Request("renewed")))).Identity!;
        var secondReplaced = await Record.ExceptionAsync(() => Register(server, second));
        await Register(server, first);
        await Register(server, third);
        var enrolledAgain = (await server.Enroll((await server.IssueJoinToken(null))!.Text, Request("renewed"))).Identity!;
        var earlier = new[] { await Record.ExceptionAsync(() => Register(server, first)), await Record.ExceptionAsync(() => Register(server, third)) };
        await Register(server, enrolledAgain);

        Assert.Equal(EnrollmentRefusal.TooEarly, tooEarly.Refusal);
        Assert.IsType<ServerNotEnrolledException>(secondReplaced);
        Assert.All(earlier, refusal => Assert.IsType<ServerNotEnrolledException>(refusal));
    }

    [Fact]
    public async Task A_revoked_node_is_refused_whatever_it_calls_until_it_enrolls_again()
    {
        var server = await MadeServer("revoked");
        var first = (await server.Enroll((await server.IssueJoinToken(null))!.Text, Request("revoked"))).Identity!;
        await Register(server, first);

        Assert.True(await server.Revoke());
        var refusals = new[]
        {
            await Record.ExceptionAsync(() => Register(server, first)),
            await Record.ExceptionAsync(() => AsNode(first, () => server.RenewCertificate(Request("revoked")))),
            await Record.ExceptionAsync(() => AsNode(first, () => server.GetDnsPolicy())),
            // A credential signed on the operator's machine, without a certificate's serial, no longer admits a node either.
            await Record.ExceptionAsync(() => AsNode(first with { Credential = OperatorCredential(world.Name("revoked")) }, () => server.GetDnsPolicy())),
        };
        var view = await server.Describe();
        var again = (await server.Enroll((await server.IssueJoinToken(null))!.Text, Request("revoked"))).Identity!;
        await Register(server, again);

        Assert.All(refusals, refusal => Assert.IsType<ServerNotEnrolledException>(refusal));
        Assert.False(view!.Connected);
        Assert.NotNull(view.RevokedAt);
        Assert.Null((await server.Describe())!.RevokedAt);
    }

    private async Task<IServerGrain> MadeServer(string name)
    {
        var server = fixture.Client.GetGrain<IServerGrain>(world.Name(name));
        await server.Configure(new ServerSettings(world.Group, Capacity: 10, PublicAddress: "198.18.5.1"));
        return server;
    }

    private Task Register(IServerGrain server, NodeIdentity identity) => AsNode(identity, () =>
        server.Register(new NodeRegistration("198.18.5.1", 10, 51000, 51099, "100.64.0.0/10", world.Group), fixture.Client.CreateObjectReference<INodeAgent>(agent), null));

    /// <summary>Calls as the node that holds <paramref name="identity"/>: with its credential, as its NodeHost sends it.</summary>
    private static async Task<T> AsNode<T>(NodeIdentity identity, Func<Task<T>> call)
    {
        RequestContext.Set(RoleCredential.RequestContextKey, identity.Credential);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(RoleCredential.RequestContextKey);
        }
    }

    private static string OperatorCredential(string serverId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return RoleCredential.Sign(new CallerRole(CallerRole.Node, serverId), key);
    }

    private string Request(string name, string role = CallerRole.Node)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest($"CN={world.Name(name)}, OU={role}", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }
}
