using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using OrleansWg.Gateway.Admin;
using OrleansWg.Hosting;

namespace OrleansWg.Gateway.AdminConsole;

/// <summary>
/// Admins' console login by single sign-on: ASP.NET's OpenID Connect handler runs the
/// authorization code flow with PKCE (and checks the ID token, its nonce included); once it has,
/// the person's account is made or updated with the role their provider's claim maps to
/// (<see cref="ConsoleSsoOptions.RoleMap"/>), and they get the console's own login cookie, as a
/// password login does. Nothing of the provider's is kept in the browser past the callback.
/// </summary>
public static class ConsoleSso
{
    public const string Path = "/admin/login/sso";
    private const string Scheme = "ConsoleOidc";

    public static IServiceCollection AddConsoleSso(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<ConsoleSsoOptions>(ConsoleSsoOptions.Section);
        var options = configuration.GetSection(ConsoleSsoOptions.Section).Get<ConsoleSsoOptions>() ?? new ConsoleSsoOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.AddAuthentication().AddOpenIdConnect(Scheme, oidc =>
        {
            oidc.Authority = options.Issuer;
            oidc.RequireHttpsMetadata = options.Issuer.StartsWith("https:", StringComparison.Ordinal);
            oidc.ClientId = options.ClientId;
            oidc.ClientSecret = options.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            oidc.CallbackPath = $"{Path}/callback";
            oidc.SignInScheme = AdminAuthentication.ConsoleScheme;
            oidc.MapInboundClaims = false;
            oidc.GetClaimsFromUserInfoEndpoint = false;
            oidc.Scope.Clear();
            foreach (var scope in options.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                oidc.Scope.Add(scope);
            }

            // The provider comes back with a top-level GET (the code in the query), which sends Lax
            // cookies; None would need Secure, which a loopback http Gateway cannot give.
            oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
            oidc.NonceCookie.SameSite = SameSiteMode.Lax;
            oidc.Events.OnTicketReceived = SignIn;
            oidc.Events.OnRemoteFailure = context =>
            {
                context.HandleResponse();
                context.Response.Redirect($"{ConsoleLogin.Path}?sso=failed");
                return Task.CompletedTask;
            };
        });
        return services;
    }

    public static IEndpointRouteBuilder MapConsoleSso(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, (IOptions<ConsoleSsoOptions> options) => options.Value.Enabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = "/admin" }, [Scheme])
                : Results.NotFound())
            .ExcludeFromDescription();
        return routes;
    }

    /// <summary>The provider's login checked out: the console's own login for the person's account, or back to the login page saying why not.</summary>
    private static async Task SignIn(TicketReceivedContext context)
    {
        context.HandleResponse();
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<ConsoleSsoOptions>>().Value;
        var principal = context.Principal!;
        var account = principal.FindFirstValue(options.AccountClaim)?.ToLowerInvariant();
        var role = options.RoleOf(principal.FindAll(options.RoleClaim).Select(claim => claim.Value));
        var login = Names.IsValid(account) && role is { } given
            ? await context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IAdminAccountsGrain>(0)
                .SsoLogIn(account!, $"{options.Issuer}|{principal.FindFirstValue("sub")}", given)
            : new AdminLogin(AdminLoginOutcome.WrongCredentials);
        await ConsoleLogin.Audit(context.HttpContext, "console-sso-login", login.Outcome == AdminLoginOutcome.LoggedIn ? "ok" : "refused",
            Names.IsValid(account) ? account : null, login);
        if (login.Outcome == AdminLoginOutcome.LoggedIn)
        {
            await ConsoleLogin.SignInAsync(context.HttpContext, account!, login);
            context.Response.Redirect("/admin");
        }
        else
        {
            context.Response.Redirect($"{ConsoleLogin.Path}?sso=refused");
        }
    }
}
