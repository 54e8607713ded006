using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Connect;

/// <summary>How a refused login (a connect, or a change of the user's MFA) is answered: its HTTP status, headers and code.</summary>
public static class LoginProblems
{
    /// <summary>The status as programs read it in a problem's <c>code</c> and in the metrics: kebab-case (wrong-otp).</summary>
    public static string Code(ConnectStatus status) => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());

    /// <param name="failedSession">The session whose start failed, if one was tried: an admin reads why in its view.</param>
    public static ProblemHttpResult Of(ConnectStatus status, string detail, TimeSpan? retryAfter, HttpContext context, Guid? failedSession = null)
    {
        // A server may be free again soon: a 503 always says when to try again.
        retryAfter ??= status == ConnectStatus.NoServerAvailable ? TimeSpan.FromSeconds(ClusterUnavailableHandler.RetryAfterSeconds) : null;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.Value.TotalSeconds)).ToString();
        }

        if (status is ConnectStatus.InvalidCredentials or ConnectStatus.OtpRequired or ConnectStatus.WrongOtp)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var httpStatus = status switch
        {
            ConnectStatus.InvalidCredentials or ConnectStatus.OtpRequired or ConnectStatus.WrongOtp => StatusCodes.Status401Unauthorized,
            ConnectStatus.LockedOut => StatusCodes.Status429TooManyRequests,
            ConnectStatus.SessionLimitReached or ConnectStatus.Conflict => StatusCodes.Status409Conflict,
            ConnectStatus.ServerNotPermitted or ConnectStatus.LockedByAdmin or ConnectStatus.MfaEnrollmentRequired or ConnectStatus.SsoRequired
                or ConnectStatus.SsoRevoked => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = Code(status) };
        if (failedSession is { } sessionId)
        {
            extensions["sessionId"] = sessionId;
        }

        return Problems.Of(httpStatus, detail, extensions);
    }
}
