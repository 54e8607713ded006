using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Admin;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.AdminConsole;

/// <summary>
/// The console's login: the admin token, typed once into a form, is exchanged for an HttpOnly,
/// SameSite=Strict cookie. The console's own requests then carry an antiforgery token in a header,
/// which a page of another site cannot read or send (<see cref="ConsoleCsrf"/>).
/// </summary>
public static class ConsoleLogin
{
    public const string Path = "/admin/login";
    public const string LogoutPath = "/admin/logout";

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
        await context.SignInAsync(AdminAuthentication.ConsoleScheme, new ClaimsPrincipal(admin));
        return Results.Redirect("/admin", permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> LogOut(HttpContext context)
    {
        await context.SignOutAsync(AdminAuthentication.ConsoleScheme);
        return Results.Redirect(Path);
    }
}
