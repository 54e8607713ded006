using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>
/// The admin token, as a bearer token or as the password of Basic authentication (which a browser
/// asks for, on the dashboard). An authentication scheme rather than an endpoint filter: the
/// authorization middleware runs before the endpoint reads its body, so a request without the
/// token is refused unread.
/// </summary>
public sealed class AdminAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<GatewayOptions> gateway, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "AdminToken";
    public const string Policy = "admin";

    // One header each: browsers do not read several schemes from one header.
    private static readonly string[] Challenges = ["Bearer", "Basic realm=\"OrleansWg admin\", charset=\"UTF-8\""];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = Encoding.UTF8.GetBytes(gateway.Value.AdminToken);
        var given = Encoding.UTF8.GetBytes(AuthorizationHeader.Credentials(Context, "Bearer") ?? BasicPassword() ?? "");
        return Task.FromResult(CryptographicOperations.FixedTimeEquals(expected, given)
            ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Policy)], SchemeName)), SchemeName))
            : AuthenticateResult.NoResult());
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = new(Challenges);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Detail = "the admin token is missing or wrong" },
        });
    }

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

public static class AdminAuthenticationExtensions
{
    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(AdminAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, AdminAuthentication>(AdminAuthentication.SchemeName, null);
        return services.AddAuthorizationBuilder()
            .AddPolicy(AdminAuthentication.Policy, policy => policy.AddAuthenticationSchemes(AdminAuthentication.SchemeName).RequireAuthenticatedUser())
            .Services;
    }

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder endpoints)
        where TBuilder : IEndpointConventionBuilder => endpoints.RequireAuthorization(AdminAuthentication.Policy);
}
