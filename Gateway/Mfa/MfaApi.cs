using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Connect;
using OrleansWg.Gateway.Http;
using QRCoder;

namespace OrleansWg.Gateway.Mfa;

/// <summary>
/// A user's own enrollment in MFA (TOTP at connect), as <c>owg mfa enroll</c> makes it: begin (a
/// new secret, shown once), then confirm with the first code the app shows (recovery codes, shown
/// once). Both are logins: they count towards the lockout and the failed-login budget like a connect.
/// </summary>
public static class MfaApi
{
    public static IEndpointRouteBuilder MapMfaApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/mfa/enroll", Enroll).Validates<MfaEnrollBody>().RequireRateLimiting(RateLimits.Login).LimitBody(BodySizeLimit.Default)
            .WithSummary("Begins the user's enrollment in MFA: a new TOTP secret (with its QR code) to confirm with /v1/mfa/confirm. Once enrolled, needs a current code.");
        routes.MapPost("/v1/mfa/confirm", Confirm).Validates<MfaConfirmBody>().RequireRateLimiting(RateLimits.Login).LimitBody(BodySizeLimit.Default)
            .WithSummary("Confirms the secret of /v1/mfa/enroll with its first code; from then on a connect needs a code. Answers ten recovery codes, once.");
        return routes;
    }

    private static async Task<Results<Ok<MfaEnrollResponse>, ProblemHttpResult>> Enroll(MfaEnrollBody body, IGrainFactory grains, FailedLoginBudget failedLogins, HttpContext context)
    {
        var user = body.Username!.ToLowerInvariant();
        var change = await Change(user, failedLogins, context, source => grains.GetGrain<IUserGrain>(user).BeginMfa(new MfaLogin(body.Password!, body.Otp, source)));
        if (change.Secret is not { } secret)
        {
            return LoginProblems.Of(change.Status, change.Detail!, change.RetryAfter, context);
        }

        var uri = OtpAuthUri.For(user, secret);
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return TypedResults.Ok(new MfaEnrollResponse(secret, uri, new AsciiQRCode(code).GetGraphicSmall()));
    }

    private static async Task<Results<Ok<MfaConfirmResponse>, ProblemHttpResult>> Confirm(MfaConfirmBody body, IGrainFactory grains, FailedLoginBudget failedLogins, HttpContext context)
    {
        var user = body.Username!.ToLowerInvariant();
        var change = await Change(user, failedLogins, context, source => grains.GetGrain<IUserGrain>(user).ConfirmMfa(new MfaLogin(body.Password!, null, source), body.Code!.Trim()));
        return change.Status == ConnectStatus.Connected
            ? TypedResults.Ok(new MfaConfirmResponse([.. change.RecoveryCodes]))
            : LoginProblems.Of(change.Status, change.Detail!, change.RetryAfter, context);
    }

    /// <summary>Asks the user's grain for the change, within the same checks a connect passes at the Gateway.</summary>
    private static async Task<MfaChange> Change(string user, FailedLoginBudget failedLogins, HttpContext context, Func<string, Task<MfaChange>> change)
    {
        var source = ClientSource.Of(context);
        if (failedLogins.Refusal(user, source) is { } refusal)
        {
            return MfaChange.Refused(refusal);
        }

        var result = await change(source);
        failedLogins.Record(result.Status, source);
        return result;
    }
}
