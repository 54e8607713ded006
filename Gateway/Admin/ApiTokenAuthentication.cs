using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>
/// An API token as a bearer token; on the dashboard's reads also as the password of Basic
/// authentication, which a browser asks for there and then sends on its own. Basic goes nowhere
/// else: a browser sends cached Basic credentials with a form another site posts, so a change must
/// never take them. The cluster says whose the token is on every request (<see cref="IAdminAccountsGrain"/>),
/// so a revoked token is refused at once. An authentication scheme rather than an endpoint filter:
/// the authorization middleware runs before the endpoint reads its body, so a request without a
/// valid token is refused unread.
/// </summary>
public sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder,
    IGrainFactory grains, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    // One header each: browsers do not read several schemes from one header.
    private static readonly string[] DashboardChallenges = ["Bearer", "Basic realm=\"OrleansWg admin\", charset=\"UTF-8\""];

    public const string DashboardPath = "/dashboard";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var given = AuthorizationHeader.Credentials(Context, "Bearer") ?? (IsDashboardRead(Context) ? BasicPassword() : null);
        if (ApiTokens.Parse(given) is not var (id, secretHash)
            || await grains.GetGrain<IAdminAccountsGrain>(0).Authenticate(id, secretHash) is not { } actor)
        {
            return AuthenticateResult.NoResult();
        }

        var identity = AdminActors.Identity(actor, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = IsDashboardRead(Context) ? new(DashboardChallenges) : new("Bearer");
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Detail = "the token is missing, wrong, expired or revoked" },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status403Forbidden, Detail = "your role may not do this" },
        });
    }

    /// <summary>A read of the dashboard: where a browser that was asked for Basic credentials sends them.</summary>
    private static bool IsDashboardRead(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && context.Request.Path.StartsWithSegments(DashboardPath, StringComparison.Ordinal);

    /// <returns>The password of an "Authorization: Basic ..." header, whatever its user name, or null.</returns>
    private string? BasicPassword()
    {
        if (AuthorizationHeader.Credentials(Context, "Basic") is not { } encoded)
        {
            return null;
        }

        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            return credentials.IndexOf(':') is var colon and >= 0 ? credentials[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
