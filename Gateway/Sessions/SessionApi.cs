using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Sessions;

/// <summary>A client's own session, authorized by the session token it got at connect.</summary>
public static class SessionApi
{
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        var sessions = routes.MapGroup("/v1/sessions").RequireRateLimiting(RateLimits.SessionLookup).LimitBody(0);
        sessions.MapGet("/{id:guid}", Get).WithSummary("The session's state.");
        sessions.MapDelete("/{id:guid}", Disconnect).WithSummary("Ends the session; ending an ended session does nothing.");
        return routes;
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Get(Guid id, IGrainFactory grains, SessionTokenSeal seal, HttpContext context)
    {
        var session = grains.GetGrain<ISessionGrain>(id);
        if (await Authorize(id, session, seal, context) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(SessionResponse.From((await session.Describe())!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Disconnect(Guid id, IGrainFactory grains, SessionTokenSeal seal, HttpContext context)
    {
        var session = grains.GetGrain<ISessionGrain>(id);
        if (await Authorize(id, session, seal, context) is { } problem)
        {
            return problem;
        }

        await session.Close(CloseReason.Client);
        return TypedResults.NoContent();
    }

    private static async Task<ProblemHttpResult?> Authorize(Guid id, ISessionGrain session, SessionTokenSeal seal, HttpContext context)
    {
        if (AuthorizationHeader.Credentials(context, "Bearer") is not { } sealedToken)
        {
            return Problems.Unauthorized(context, "the session token is missing (Authorization: Bearer)");
        }

        if (seal.Open(id, sealedToken) is not { } token)
        {
            return Problems.Unauthorized(context, "no session with this id and token");
        }

        // The token was sealed by this installation for this id, so a session that is not there is
        // unknown to the cluster (its database was restored from a backup older than the session),
        // which its client takes for an ended session.
        return await session.Authorize(token) ? null
            : await session.Describe() is null
                ? Problems.Of(StatusCodes.Status404NotFound, $"the cluster has no session {id}", new() { ["code"] = "session-unknown" })
            : Problems.Unauthorized(context, "no session with this id and token");
    }
}
