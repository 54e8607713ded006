using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>
/// How a node joins: an admin gets a join token for a server it made; the NodeHost started with it
/// sends the token and a certificate signing request to the one route here that needs no admin, and
/// gets its certificate and credential back (its private key never leaves it). An admin can revoke
/// a node: every silo refuses it from then on, and its sessions move.
/// </summary>
public static class NodeEnrollmentApi
{
    public static IEndpointRouteBuilder MapNodeEnrollmentAdminApi(this IEndpointRouteBuilder admin)
    {
        admin.MapPost("/servers/{id}/join-token", IssueJoinToken).RequirePermission(AdminPermission.ManageServers).WithName("join-token-for-server")
            .WithSummary($"A single-use join token for the server's node, shown once; expiresInMinutes (1-{JoinTokenBody.MaxMinutes}) or Enrollment:JoinTokenLifetime. It replaces the server's pending one.");
        admin.MapPost("/servers/{id}/revoke", Revoke).RequirePermission(AdminPermission.ManageServers).WithName("revoke-server")
            .WithSummary("Revokes the certificates of the server's node: every silo refuses it at once, it takes no new sessions, and its sessions move; a new join token enrolls it again.");
        return admin;
    }

    public static IEndpointRouteBuilder MapNodeEnrollmentApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/nodes/{id}/enroll", Enroll).Validates<EnrollBody>().RequireRateLimiting(RateLimits.Enroll)
            .WithSummary("A node's enrollment: its join token and a PEM certificate signing request of its own key; answers its certificate (with the node CA's), the cluster CA and its role credential.");
        return routes;
    }

    private static async Task<Results<Created<JoinTokenResponse>, ValidationProblem, ProblemHttpResult>> IssueJoinToken(string id, JoinTokenBody? body, IGrainFactory grains)
    {
        if (body?.Validate() is { IsValid: false } validation)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var lifetime = body?.ExpiresInMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : (TimeSpan?)null;
        return Names.IsValid(id) && await grains.GetGrain<IServerGrain>(id).IssueJoinToken(lifetime) is { } token
            ? TypedResults.Created((string?)null, new JoinTokenResponse(id, token.Text, token.ExpiresAt))
            : Problems.NotFound($"server '{id}'");
    }

    private static async Task<Results<Ok<EvacuationResponse>, ProblemHttpResult>> Revoke(string id, IGrainFactory grains)
    {
        var server = grains.GetGrain<IServerGrain>(id);
        if (!Names.IsValid(id) || !await server.Revoke())
        {
            return Problems.NotFound($"server '{id}'");
        }

        return TypedResults.Ok(await server.Describe() is { } view ? await grains.MoveSessionsAsync(view, MoveReason.Revoked) : new EvacuationResponse([], []));
    }

    private static async Task<Results<Ok<EnrollmentResponse>, ValidationProblem, ProblemHttpResult>> Enroll(
        string id, EnrollBody body, HttpContext context, IGrainFactory grains, TimeProvider clock)
    {
        var enrollment = Names.IsValid(id)
            ? await grains.GetGrain<IServerGrain>(id).Enroll(body.Token!, body.CertificateRequest!)
            : new NodeEnrollment(null, EnrollmentRefusal.TokenNotValid);
        await grains.GetGrain<IAuditGrain>(0).Append(new AuditEvent(clock.GetUtcNow(), AuditKinds.Enroll,
            enrollment.Refusal switch { null => "ok", EnrollmentRefusal.TokenNotValid => "token-not-valid", _ => "bad-request" },
            Source: ClientSource.Of(context), ServerId: Names.IsValid(id) ? id : null, Detail: enrollment.Identity is { } issued ? $"certificate {issued.Serial}" : null));
        return enrollment switch
        {
            { Identity: { } identity } => TypedResults.Ok(new EnrollmentResponse(identity.CertificatePem, identity.AuthorityPem, identity.Credential, identity.ExpiresAt)),
            { Refusal: EnrollmentRefusal.BadRequest } => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["certificateRequest"] = [enrollment.Detail!] }),
            _ => Problems.Unauthorized(context, "the join token is not valid: it is used, expired or not this server's"),
        };
    }
}

/// <param name="ExpiresInMinutes">How long the token lasts; Enrollment:JoinTokenLifetime when not given.</param>
public sealed record JoinTokenBody(int? ExpiresInMinutes) : IValidatable
{
    public const int MaxMinutes = 7 * 24 * 60;

    public Validation Validate() => new Validation().Check(ExpiresInMinutes is null or >= 1 and <= MaxMinutes, "expiresInMinutes", $"1 to {MaxMinutes} minutes");
}

/// <param name="Token">Shown once: the NodeHost reads it from the file Node:JoinToken names.</param>
public sealed record JoinTokenResponse(string ServerId, string Token, DateTimeOffset ExpiresAt);

/// <param name="CertificateRequest">A PEM certificate signing request of the node's own ECDSA key.</param>
public sealed record EnrollBody(string? Token, string? CertificateRequest) : IValidatable
{
    private const int MaxRequestLength = 16 * 1024;

    public Validation Validate() => new Validation()
        .Check(Token is { Length: > 0 and <= 200 }, "token", "the join token an admin got for the server")
        .Check(CertificateRequest is { Length: > 0 and <= MaxRequestLength } && CertificateRequest.Contains("-----BEGIN CERTIFICATE REQUEST-----", StringComparison.Ordinal),
            "certificateRequest", $"a PEM certificate signing request, at most {MaxRequestLength} characters");

    public override string ToString() => "EnrollBody { }";
}

/// <param name="Certificate">The node's certificate, then the node CA's that signed it (PEM).</param>
/// <param name="Authority">The cluster's CA (PEM): the node knows the silos by it.</param>
/// <param name="Credential">The node's role credential, good as long as the certificate.</param>
public sealed record EnrollmentResponse(string Certificate, string Authority, string Credential, DateTimeOffset ExpiresAt);
