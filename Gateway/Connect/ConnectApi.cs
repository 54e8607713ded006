using System.Diagnostics;
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
        var result = failedLogins.Refusal(user, source)
            ?? await ConnectRetry.Run(new ConnectRequest(body.Password ?? "", body.PublicKey, body.Server, key, source, body.Otp, body.SsoGrant), options.Value, clock,
                grains.GetGrain<IUserGrain>(user).Connect, context.RequestAborted);
        failedLogins.Record(result.Status, source);
        metrics.Record(LoginProblems.Code(result.Status), Stopwatch.GetElapsedTime(started));
        return Respond(result, seal, context);
    }

    private static Results<Ok<ConnectResponse>, ProblemHttpResult> Respond(ConnectResult result, SessionTokenSeal seal, HttpContext context)
    {
        if (result.Session is { } session)
        {
            return TypedResults.Ok(new ConnectResponse(session.SessionId, seal.Seal(session.SessionId, session.SessionToken), session.ServerId,
                session.Endpoint, session.Address, session.ServerPublicKey, session.AllowedIps, session.ExpiresAt,
                [.. session.Dns], [.. session.SearchDomains], WgQuickConfig.Render(session)));
        }

        return LoginProblems.Of(result.Status, result.Detail!, result.RetryAfter, context, result.FailedSession);
    }
}
