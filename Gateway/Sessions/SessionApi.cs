using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Sessions;

/// <summary>A client's own session, authorized by the session token it got at connect.</summary>
public static class SessionApi
{
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/sessions/{id:guid}", Get).WithSummary("The session's state.");
        routes.MapDelete("/v1/sessions/{id:guid}", Disconnect).WithSummary("Ends the session; ending an ended session does nothing.");
        return routes;
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> Get(Guid id, IGrainFactory grains, HttpContext context)
    {
        var session = grains.GetGrain<ISessionGrain>(id);
        if (await Authorize(session, context) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok((await session.Describe())!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Disconnect(Guid id, IGrainFactory grains, HttpContext context)
    {
        var session = grains.GetGrain<ISessionGrain>(id);
        if (await Authorize(session, context) is { } problem)
        {
            return problem;
        }

        await session.Close(CloseReason.Client);
        return TypedResults.NoContent();
    }

    private static async Task<ProblemHttpResult?> Authorize(ISessionGrain session, HttpContext context)
    {
        if (AuthorizationHeader.Credentials(context, "Bearer") is not { } token)
        {
            return Problems.Unauthorized(context, "the session token is missing (Authorization: Bearer)");
        }

        return await session.Authorize(token) ? null : Problems.Unauthorized(context, "no session with this id and token");
    }
}
