using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.AdminConsole;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>
/// A token of the Gateway's options, as a bearer token: the admin token, or the metrics token; on
/// the dashboard's reads also as the password of Basic authentication, which a browser asks for
/// there and then sends on its own. Basic goes nowhere else: a browser sends cached Basic
/// credentials with a form another site posts, so a change must never take them. An
/// authentication scheme rather than an endpoint filter: the authorization middleware runs before
/// the endpoint reads its body, so a request without the token is refused unread.
/// </summary>
public sealed class TokenAuthentication(
    IOptionsMonitor<TokenAuthenticationOptions> schemes, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<GatewayOptions> gateway, IProblemDetailsService problems)
    : AuthenticationHandler<TokenAuthenticationOptions>(schemes, logger, encoder)
{
    // One header each: browsers do not read several schemes from one header.
    private static readonly string[] DashboardChallenges = ["Bearer", "Basic realm=\"OrleansWg admin\", charset=\"UTF-8\""];

    public const string DashboardPath = "/dashboard";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var given = AuthorizationHeader.Credentials(Context, "Bearer") ?? (IsDashboardRead(Context) ? BasicPassword() : null);
        return Task.FromResult(Matches(Options.Tokens(gateway.Value), given ?? "")
            ? AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Options.Role)], Scheme.Name)), Scheme.Name))
            : AuthenticateResult.NoResult());
    }

    /// <returns>true when <paramref name="given"/> is one of <paramref name="tokens"/> (an unset one matches nothing), compared in constant time with each.</returns>
    public static bool Matches(string?[] tokens, string given)
    {
        var bytes = Encoding.UTF8.GetBytes(given);
        return tokens.OfType<string>().Where(token => token.Length > 0)
            .Aggregate(false, (found, token) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), bytes) | found);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = IsDashboardRead(Context) ? new(DashboardChallenges) : new("Bearer");
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Detail = "the token is missing or wrong" },
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

public sealed class TokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The tokens the scheme accepts; an unset one (null or empty) matches nothing.</summary>
    public Func<GatewayOptions, string?[]> Tokens { get; set; } = _ => [];

    /// <summary>The role a request with the token has.</summary>
    public string Role { get; set; } = "";
}

/// <summary>
/// Who may use the admin API, the console and the dashboard: a request with the admin token, or a
/// browser with the console's cookie (<see cref="ConsoleLogin"/>). The scrape of <c>/metrics</c>
/// has its own token, which reads nothing else (the admin token reads it too).
/// </summary>
public static class AdminAuthentication
{
    public const string TokenScheme = "AdminToken";
    public const string ConsoleScheme = "ConsoleCookie";
    public const string MetricsScheme = "MetricsToken";
    public const string Policy = "admin";
    public const string ConsolePolicy = "console";
    public const string MetricsPolicy = "metrics";

    // The token when the request has an Authorization header, the cookie when not; a challenge is
    // always the token's 401, which makes a browser ask for it (Basic).
    private const string TokenOrCookie = "AdminTokenOrConsoleCookie";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(TokenOrCookie)
            .AddScheme<TokenAuthenticationOptions, TokenAuthentication>(TokenScheme, options =>
            {
                options.Tokens = gateway => [gateway.AdminToken];
                options.Role = Policy;
            })
            .AddScheme<TokenAuthenticationOptions, TokenAuthentication>(MetricsScheme, options =>
            {
                options.Tokens = gateway => [gateway.MetricsToken, gateway.AdminToken];
                options.Role = MetricsPolicy;
            })
            .AddCookie(ConsoleScheme, options =>
            {
                // The login itself is kept in the cluster (ConsoleLoginStore), the cookie holds its key.
                options.Cookie.Name = "owg_console";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Cookie.Path = "/";
                options.SlidingExpiration = true;
                options.LoginPath = ConsoleLogin.Path;
                options.LogoutPath = ConsoleLogin.LogoutPath;
                options.Events.OnValidatePrincipal = ConsoleLogin.ValidateAsync;
            })
            .AddPolicyScheme(TokenOrCookie, null, options =>
            {
                options.ForwardDefaultSelector = context => context.Request.Headers.Authorization.Count > 0 ? TokenScheme : ConsoleScheme;
                options.ForwardChallenge = TokenScheme;
                options.ForwardForbid = TokenScheme;
            });
        services.AddOptions<CookieAuthenticationOptions>(ConsoleScheme)
            .Configure<IOptions<GatewayOptions>, IGrainFactory, TimeProvider>((cookie, gateway, grains, clock) =>
            {
                cookie.ExpireTimeSpan = gateway.Value.ConsoleSession;
                cookie.SessionStore = new ConsoleLoginStore(grains, clock);
            });
        // The keys of the cookie and of the antiforgery tokens, shared by every Gateway of the cluster;
        // the application name, not each Gateway's directory, tells them apart from other applications'.
        services.AddDataProtection().SetApplicationName("OrleansWg.Gateway");
        services.AddOptions<KeyManagementOptions>().Configure<IGrainFactory>((keys, grains) => keys.XmlRepository = new ClusterKeyRing(grains));
        return services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(TokenOrCookie).RequireRole(Policy))
            .AddPolicy(ConsolePolicy, policy => policy.AddAuthenticationSchemes(ConsoleScheme).RequireRole(Policy))
            .AddPolicy(MetricsPolicy, policy => policy.AddAuthenticationSchemes(MetricsScheme).RequireRole(MetricsPolicy))
            .Services;
    }

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder endpoints)
        where TBuilder : IEndpointConventionBuilder => endpoints.RequireAuthorization(Policy);

    /// <summary>true when the request is the console's: a browser's, authenticated by its cookie.</summary>
    public static bool IsConsoleRequest(HttpContext context) => context.User.Identity is { IsAuthenticated: true, AuthenticationType: ConsoleScheme };
}
