using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Http;
using OrleansWg.Gateway.Metrics;
using OrleansWg.Gateway.Sessions;

namespace OrleansWg.Gateway.Connect;

public static class ConnectApi
{
    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/connect", Connect).Validates<ConnectBody>().RequireRateLimiting(RateLimits.Login).LimitBody(BodySizeLimit.Default)
            .WithSummary("Logs in and starts a VPN session; returns its wg-quick config.");
        return routes;
    }

    private static async Task<Results<Ok<ConnectResponse>, ProblemHttpResult>> Connect(
        ConnectBody body, IGrainFactory grains, ConnectMetrics metrics, SessionTokenSeal seal, FailedLoginBudget failedLogins, IOptions<GatewayOptions> options,
        TimeProvider clock, HttpContext context)
    {
        if (IdempotencyKey.Of(context) is not { } key)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, $"{IdempotencyKey.Header}: {IdempotencyKey.Format}");
        }

        var started = Stopwatch.GetTimestamp();
        var user = body.Username!.ToLowerInvariant();
        var source = ClientSource.Of(context);
        var result = !Names.IsValid(user) ? ConnectResult.Failed(ConnectStatus.InvalidCredentials, "wrong user name or password")
            : !failedLogins.Admits(source) ? ConnectResult.Failed(ConnectStatus.Busy, "the service is busy with failed logins; try again shortly", TimeSpan.FromSeconds(1))
            : await ConnectRetry.Run(new ConnectRequest(body.Password!, body.PublicKey, body.Server, key, source), options.Value, clock,
                grains.GetGrain<IUserGrain>(user).Connect, context.RequestAborted);
        switch (result.Status)
        {
            case ConnectStatus.Connected:
                failedLogins.Succeeded(source);
                break;
            case ConnectStatus.InvalidCredentials or ConnectStatus.LockedOut:
                failedLogins.Failed();
                break;
        }

        var code = JsonNamingPolicy.KebabCaseLower.ConvertName(result.Status.ToString());
        metrics.Record(code, Stopwatch.GetElapsedTime(started));
        return Respond(result, code, seal, context);
    }

    private static Results<Ok<ConnectResponse>, ProblemHttpResult> Respond(ConnectResult result, string code, SessionTokenSeal seal, HttpContext context)
    {
        if (result.Session is { } session)
        {
            return TypedResults.Ok(new ConnectResponse(session.SessionId, seal.Seal(session.SessionId, session.SessionToken), session.ServerId,
                session.Endpoint, session.Address, session.ServerPublicKey, session.AllowedIps, session.ExpiresAt,
                [.. session.Dns], [.. session.SearchDomains], WgQuickConfig.Render(session)));
        }

        // A server may be free again soon: a 503 always says when to try again.
        var retryAfter = result.RetryAfter
            ?? (result.Status == ConnectStatus.NoServerAvailable ? TimeSpan.FromSeconds(ClusterUnavailableHandler.RetryAfterSeconds) : null);
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.Value.TotalSeconds)).ToString();
        }

        if (result.Status == ConnectStatus.InvalidCredentials)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var status = result.Status switch
        {
            ConnectStatus.InvalidCredentials => StatusCodes.Status401Unauthorized,
            ConnectStatus.LockedOut => StatusCodes.Status429TooManyRequests,
            ConnectStatus.SessionLimitReached or ConnectStatus.Conflict => StatusCodes.Status409Conflict,
            ConnectStatus.ServerNotPermitted or ConnectStatus.LockedByAdmin => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (result.FailedSession is { } sessionId)
        {
            extensions["sessionId"] = sessionId;
        }

        return Problems.Of(status, result.Detail!, extensions);
    }
}
