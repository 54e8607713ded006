using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Admin;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.AdminConsole;

/// <summary>
/// The console's login: the admin token, typed once into a form, is exchanged for an HttpOnly,
/// SameSite=Strict cookie. The console's own requests then carry an antiforgery token in a header,
/// which a page of another site cannot read or send (<see cref="ConsoleCsrf"/>). A login ends when
/// unused for <see cref="GatewayOptions.ConsoleSession"/>, at the latest
/// <see cref="GatewayOptions.ConsoleSessionMaxLifetime"/> after it began, at a logout (on every
/// Gateway: <see cref="ConsoleLoginStore"/>), and when the admin token it was made with changes.
/// </summary>
public static class ConsoleLogin
{
    public const string Path = "/admin/login";
    public const string LogoutPath = "/admin/logout";

    private const string BeganItem = "owg.began";
    private const string TokenItem = "owg.token";

    public static IEndpointRouteBuilder MapConsoleLogin(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, () => ConsoleAssets.Page("login.html", StatusCodes.Status200OK, ("{{message}}", ""))).ExcludeFromDescription();
        routes.MapPost(Path, LogIn).RequireRateLimiting(RateLimits.Login).LimitBody(BodySizeLimit.Default).DisableAntiforgery().ExcludeFromDescription();
        routes.MapPost(LogoutPath, (Delegate)LogOut).RequireAuthorization(AdminAuthentication.ConsolePolicy).ExcludeFromDescription();
        routes.MapGet("/admin/csrf", (IAntiforgery antiforgery, HttpContext context) =>
                TypedResults.Ok(new { token = antiforgery.GetAndStoreTokens(context).RequestToken }))
            .RequireAuthorization(AdminAuthentication.ConsolePolicy).ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> LogIn(HttpContext context, IOptions<GatewayOptions> options, IGrainFactory grains, TimeProvider clock)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        var right = TokenAuthentication.Matches([options.Value.AdminToken], form?["token"].ToString() ?? "");
        await grains.GetGrain<IAuditGrain>(0).Append(new AuditEvent(clock.GetUtcNow(), AuditKinds.AdminPrefix + "console-login",
            right ? "ok" : "wrong-token", Source: ClientSource.Of(context)));
        if (!right)
        {
            return ConsoleAssets.Page("login.html", StatusCodes.Status401Unauthorized, ("{{message}}", "<p class=\"error\">That is not the admin token.</p>"));
        }

        var admin = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "admin"), new Claim(ClaimTypes.Role, AdminAuthentication.Policy)],
            AdminAuthentication.ConsoleScheme);
        var login = new AuthenticationProperties
        {
            Items = { [BeganItem] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), [TokenItem] = Fingerprint(options.Value.AdminToken) },
        };
        await context.SignInAsync(AdminAuthentication.ConsoleScheme, new ClaimsPrincipal(admin), login);
        return Results.Redirect("/admin", permanent: false, preserveMethod: false);
    }

    /// <summary>Ends a login past its lifetime or of another admin token: the cookie's checks run on every request that carries one.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var gateway = context.HttpContext.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var began = context.Properties.Items.TryGetValue(BeganItem, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : DateTimeOffset.MinValue;
        var sameToken = context.Properties.Items.TryGetValue(TokenItem, out var token) && token == Fingerprint(gateway.AdminToken);
        if (now - began > gateway.ConsoleSessionMaxLifetime || !sameToken)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AdminAuthentication.ConsoleScheme);
        }
    }

    /// <summary>Which admin token a login was made with, without the token: a keyed hash of it.</summary>
    private static string Fingerprint(string adminToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData("owg console login"u8, Encoding.UTF8.GetBytes(adminToken)));

    private static async Task<IResult> LogOut(HttpContext context)
    {
        await context.SignOutAsync(AdminAuthentication.ConsoleScheme);
        return Results.Redirect(Path);
    }
}
