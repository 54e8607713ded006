using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Http;
using QRCoder;

namespace OrleansWg.Gateway.Sso;

/// <summary>
/// Single sign-on for <c>owg connect --sso</c>, by the device authorization grant (RFC 8628): the
/// cluster asks the identity provider for a device login and shows the user where to log in; owg
/// polls until they have, and gets a grant that its connect takes in place of a password.
/// </summary>
public static class SsoApi
{
    public static IEndpointRouteBuilder MapSsoApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/sso/device", Begin).RequireRateLimiting(RateLimits.Login).LimitBody(BodySizeLimit.Default)
            .WithSummary("Begins a single sign-on: where the user logs in at the identity provider, the code to enter there, and a QR code of the page.");
        routes.MapPost("/v1/sso/token", Poll).Validates<SsoTokenBody>().RequireRateLimiting(RateLimits.SessionLookup).LimitBody(BodySizeLimit.Default)
            .WithSummary("Whether the user has logged in for the device code: 200 with the user name and a grant that /v1/connect takes in place of a password; "
                + "400 authorization-pending or slow-down while not yet.");
        return routes;
    }

    private static async Task<Results<Ok<SsoDeviceResponse>, ProblemHttpResult>> Begin(IGrainFactory grains, HttpContext context)
    {
        var login = await grains.GetGrain<ISsoGrain>(0).BeginDeviceLogin();
        if (login.Status != SsoStatus.Pending)
        {
            return Problem(login.Status, login.Detail!, context);
        }

        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(login.VerificationUriComplete ?? login.VerificationUri!, QRCodeGenerator.ECCLevel.M);
        return TypedResults.Ok(new SsoDeviceResponse(login.DeviceCode!, login.UserCode!, login.VerificationUri!, login.VerificationUriComplete,
            (int)login.ExpiresIn.TotalSeconds, (int)login.Interval.TotalSeconds, new AsciiQRCode(code).GetGraphicSmall()));
    }

    private static async Task<Results<Ok<SsoTokenResponse>, ProblemHttpResult>> Poll(SsoTokenBody body, IGrainFactory grains, HttpContext context)
    {
        var poll = await grains.GetGrain<ISsoGrain>(0).PollDeviceLogin(body.DeviceCode!, ClientSource.Of(context));
        if (poll.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        }

        return poll.Status == SsoStatus.LoggedIn
            ? TypedResults.Ok(new SsoTokenResponse(poll.UserName!, poll.Grant!, poll.GrantExpiresAt!.Value))
            : Problem(poll.Status, poll.Detail!, context);
    }

    private static ProblemHttpResult Problem(SsoStatus status, string detail, HttpContext context)
    {
        var (httpStatus, code) = status switch
        {
            SsoStatus.Pending => (StatusCodes.Status400BadRequest, "authorization-pending"),
            SsoStatus.SlowDown => (StatusCodes.Status400BadRequest, "slow-down"),
            SsoStatus.Expired => (StatusCodes.Status400BadRequest, "sso-expired"),
            SsoStatus.Denied => (StatusCodes.Status403Forbidden, "sso-denied"),
            SsoStatus.Refused => (StatusCodes.Status403Forbidden, "sso-refused"),
            SsoStatus.NotConfigured => (StatusCodes.Status404NotFound, "sso-not-configured"),
            _ => (StatusCodes.Status503ServiceUnavailable, "sso-unavailable"),
        };
        if (httpStatus == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        return Problems.Of(httpStatus, detail, new Dictionary<string, object?> { ["code"] = code });
    }
}
