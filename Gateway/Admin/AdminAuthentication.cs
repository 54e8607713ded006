using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.AdminConsole;

namespace OrleansWg.Gateway.Admin;

/// <summary>
/// Who may use the admin API, the console, the dashboard and <c>/metrics</c>: a request with an API
/// token, or a browser with the console's cookie (<see cref="ConsoleLogin"/>); each endpoint names
/// the permission it needs (<see cref="RequirePermission"/>), and the role of the token or login
/// must have it (<see cref="AdminRoles"/>).
/// </summary>
public static class AdminAuthentication
{
    public const string TokenScheme = "ApiToken";
    public const string ConsoleScheme = "ConsoleCookie";

    /// <summary>Any account, whatever its role: for what each does to itself (its tokens, its password).</summary>
    public const string AnyAccount = "account";

    public const string ConsolePolicy = "console";

    // The token when the request has an Authorization header, the cookie when not; a challenge is
    // always the token's 401, which makes a browser ask for it (Basic) on the dashboard.
    private const string TokenOrCookie = "ApiTokenOrConsoleCookie";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(TokenOrCookie)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(TokenScheme, null)
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
        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(AnyAccount, policy => policy.AddAuthenticationSchemes(TokenOrCookie).RequireAuthenticatedUser())
            .AddPolicy(ConsolePolicy, policy => policy.AddAuthenticationSchemes(ConsoleScheme).RequireAuthenticatedUser());
        foreach (var permission in Enum.GetValues<AdminPermission>())
        {
            authorization.AddPolicy(PolicyOf(permission), policy => policy.AddAuthenticationSchemes(TokenOrCookie)
                .RequireRole(AdminRoles.With(permission).Select(role => role.Name())));
        }

        return services;
    }

    /// <summary>The endpoint needs <paramref name="permission"/>: a request whose role lacks it is answered 403.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder endpoints, AdminPermission permission)
        where TBuilder : IEndpointConventionBuilder => endpoints.RequireAuthorization(PolicyOf(permission));

    /// <summary>The endpoint is for any account, on itself.</summary>
    public static TBuilder RequireAccount<TBuilder>(this TBuilder endpoints)
        where TBuilder : IEndpointConventionBuilder => endpoints.RequireAuthorization(AnyAccount);

    /// <summary>true when the request is the console's: a browser's, authenticated by its cookie.</summary>
    public static bool IsConsoleRequest(HttpContext context) => context.User.Identity is { IsAuthenticated: true, AuthenticationType: ConsoleScheme };

    private static string PolicyOf(AdminPermission permission) => $"permission:{permission}";
}
