using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Http;
using OrleansWg.Gateway.Metrics;

namespace OrleansWg.Gateway.Connect;

public static class ConnectApi
{
    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/connect", Connect).Validates<ConnectBody>().RequireRateLimiting(LoginRateLimit.Policy)
            .WithSummary("Logs in and starts a VPN session; returns its wg-quick config.");
        return routes;
    }

    private static async Task<Results<Ok<ConnectResponse>, ProblemHttpResult>> Connect(
        ConnectBody body, IGrainFactory grains, ConnectMetrics metrics, HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var user = body.Username!.ToLowerInvariant();
        var result = Names.IsValid(user)
            ? await grains.GetGrain<IUserGrain>(user).Connect(new ConnectRequest(body.Password!, body.PublicKey, body.Server))
            : ConnectResult.Failed(ConnectStatus.InvalidCredentials, "wrong user name or password");
        metrics.Record(JsonNamingPolicy.KebabCaseLower.ConvertName(result.Status.ToString()), Stopwatch.GetElapsedTime(started));
        return Respond(result, context);
    }

    private static Results<Ok<ConnectResponse>, ProblemHttpResult> Respond(ConnectResult result, HttpContext context)
    {
        if (result.Session is { } session)
        {
            return TypedResults.Ok(new ConnectResponse(session.SessionId, session.SessionToken, session.ServerId,
                session.Endpoint, session.Address, session.ServerPublicKey, session.ExpiresAt, WgQuickConfig.Render(session)));
        }

        if (result.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        }

        return result.Status switch
        {
            ConnectStatus.InvalidCredentials => Problems.Unauthorized(context, result.Detail!),
            ConnectStatus.LockedOut => Problems.Of(StatusCodes.Status429TooManyRequests, result.Detail!),
            ConnectStatus.SessionLimitReached => Problems.Of(StatusCodes.Status409Conflict, result.Detail!),
            ConnectStatus.ServerNotPermitted => Problems.Of(StatusCodes.Status403Forbidden, result.Detail!),
            _ => Problems.Of(StatusCodes.Status503ServiceUnavailable, result.Detail!),
        };
    }
}
