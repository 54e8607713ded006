using Microsoft.Extensions.Logging;

namespace OrleansWg.Grains.Servers;

/// <summary>The node's identity: join tokens, the certificates issued to it and renewed, revocation, and the check that a caller is the node it admits.</summary>
public sealed partial class ServerGrain
{
    public async Task<JoinToken?> IssueJoinToken(TimeSpan? lifetime)
    {
        if (!Server.Enrolled)
        {
            return null;
        }

        var token = Server.Certificates.IssueJoinToken(clock.GetUtcNow(), lifetime ?? enrollmentOptions.Value.JoinTokenLifetime);
        await state.WriteStateAsync();
        logger.LogInformation("Server {ServerId} has a new join token, good until {ExpiresAt}", Id, token.ExpiresAt);
        return token;
    }

    public async Task<NodeEnrollment> Enroll(string joinToken, string certificateRequestPem)
    {
        if (!Server.Enrolled || !Server.Certificates.IsJoinToken(joinToken, clock.GetUtcNow()))
        {
            if (!Server.Enrolled)
            {
                // Anyone may ask for any server id: one that no admin made leaves no activation behind.
                DeactivateOnIdle();
            }

            logger.LogWarning("Server {ServerId} refused an enrollment: its join token is not valid", Id);
            return new NodeEnrollment(null, EnrollmentRefusal.TokenNotValid, "the join token is not valid: it is used, expired or not this server's");
        }

        // Spent only with an identity issued: a request that cannot be read may be sent again, corrected.
        return await Issue(certificateRequestPem, spendJoinToken: true, renewed: null);
    }

    public Task<NodeEnrollment> RenewCertificate(string certificateRequestPem)
    {
        var node = RefuseUnadmittedNode();
        // Each renewal costs a signature and a write: a node renews once two thirds of its certificate's life have passed, not in a loop.
        if (node is { ExpiresAt: { } expires } && expires - clock.GetUtcNow() > enrollmentOptions.Value.CertificateLifetime / 2)
        {
            return Task.FromResult(new NodeEnrollment(null, EnrollmentRefusal.TooEarly, $"its certificate lasts until {expires}: renew it once less than half its life is left"));
        }

        return Issue(certificateRequestPem, spendJoinToken: false, renewed: node?.Serial);
    }

    public async Task<bool> Revoke()
    {
        if (!Server.Enrolled)
        {
            return false;
        }

        Server.Certificates.Revoke(clock.GetUtcNow());
        // The node's agent is forgotten: no push reaches it, and no session is placed here.
        Server.Agent = null;
        await state.WriteStateAsync();
        logger.LogWarning("Server {ServerId}: its node's certificates are revoked", Id);
        if (Server.Registration is not null)
        {
            await ReportLoad();
        }

        return true;
    }

    /// <param name="renewed">The serial of the certificate the node renews, which stays good until it expires.</param>
    private async Task<NodeEnrollment> Issue(string certificateRequestPem, bool spendJoinToken, string? renewed)
    {
        if (NodeCertificateIssuer.ReadRequest(certificateRequestPem) is not { } request)
        {
            return new NodeEnrollment(null, EnrollmentRefusal.BadRequest, "the certificate request is not a PEM certificate signing request of an ECDSA key that signed it");
        }

        var identity = issuer.Issue(Id, request, clock.GetUtcNow(), enrollmentOptions.Value.CertificateLifetime);

        if (spendJoinToken)
        {
            Server.Certificates.SpendJoinToken();
        }

        Server.Certificates.Add(identity, renewed, clock.GetUtcNow());
        await state.WriteStateAsync();
        logger.LogInformation("Server {ServerId}: its node has certificate {Serial}, until {ExpiresAt}", Id, identity.Serial, identity.ExpiresAt);
        return new NodeEnrollment(identity);
    }

    /// <summary>
    /// Refuses a call from a node whose certificate no longer admits it (revoked, expired, or replaced
    /// by an enrollment): the silo's filter has checked the credential's signature; this is the server's
    /// own word on which certificates are its node's.
    /// </summary>
    /// <returns>The calling node's role, as its credential names it; null for a call from a silo or the Gateway.</returns>
    private CallerRole? RefuseUnadmittedNode()
    {
        if (RequestContext.Get(RoleCredential.RequestContextKey) is not string credential || RoleCredential.Read(credential) is not { Role: CallerRole.Node } node)
        {
            return null;
        }

        return Server.Certificates.Admits(node, clock.GetUtcNow())
            ? node
            : throw new ServerNotEnrolledException($"server {Id} does not admit this node's certificate: it is revoked, expired or not from its latest enrollment; "
                + $"an admin gives it a new join token (POST /v1/admin/servers/{Id}/join-token)");
    }
}
