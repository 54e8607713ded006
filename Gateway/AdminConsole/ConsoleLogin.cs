using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Admin;
using OrleansWg.Gateway.Http;
using QRCoder;

namespace OrleansWg.Gateway.AdminConsole;

/// <summary>
/// The console's login: an account's name and password, and the code of its authenticator app
/// (TOTP) when it has one or its role must; exchanged for an HttpOnly, SameSite=Strict cookie. The
/// console's own requests then carry an antiforgery token in a header, which a page of another site
/// cannot read or send (<see cref="ConsoleCsrf"/>). A login ends when unused for
/// <see cref="GatewayOptions.ConsoleSession"/>, at the latest <see cref="GatewayOptions.ConsoleSessionMaxLifetime"/>
/// after it began, at a logout (on every Gateway: <see cref="ConsoleLoginStore"/>), and when the
/// account is deleted or its password, role or TOTP changes.
/// </summary>
public static class ConsoleLogin
{
    public const string Path = "/admin/login";
    public const string TotpPath = "/admin/login/totp";
    public const string LogoutPath = "/admin/logout";
    public const string BootstrapPath = "/admin/bootstrap";

    private const string BeganItem = "owg.began";
    private const string GenerationClaim = "owg:generation";

    // Between a right password and the first code of a new authenticator: which account, in which
    // state (its generation), and the secret it was shown, sealed by the Data Protection keys, for
    // a few minutes.
    private const string TotpSetupCookie = "owg_totp_setup";
    private static readonly TimeSpan TotpSetupTime = TimeSpan.FromMinutes(10);

    public static IEndpointRouteBuilder MapConsoleLogin(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, (string? sso, HttpContext context) => LoginPage(context, StatusCodes.Status200OK, sso switch
        {
            "refused" => "Your identity provider gives you no role in this console, or an account of that name is not yours.",
            "failed" => "The single sign-on did not complete: try again.",
            _ => "",
        })).ExcludeFromDescription();
        routes.MapPost(Path, LogIn).RequireRateLimiting(RateLimits.Login).LimitBody(BodySizeLimit.Default).DisableAntiforgery().ExcludeFromDescription();
        routes.MapPost(TotpPath, ConfirmTotp).RequireRateLimiting(RateLimits.Login).LimitBody(BodySizeLimit.Default).DisableAntiforgery().ExcludeFromDescription();
        routes.MapGet(BootstrapPath, () => BootstrapPage(StatusCodes.Status200OK, "")).ExcludeFromDescription();
        routes.MapPost(BootstrapPath, (Delegate)MakeFirstOwner).RequireRateLimiting(RateLimits.Bootstrap).LimitBody(BodySizeLimit.Default).DisableAntiforgery()
            .ExcludeFromDescription();
        routes.MapPost(LogoutPath, (Delegate)LogOut).RequireAuthorization(AdminAuthentication.ConsolePolicy).ExcludeFromDescription();
        routes.MapGet("/admin/csrf", (IAntiforgery antiforgery, HttpContext context) =>
                TypedResults.Ok(new { token = antiforgery.GetAndStoreTokens(context).RequestToken }))
            .RequireAuthorization(AdminAuthentication.ConsolePolicy).ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> LogIn(HttpContext context, IGrainFactory grains)
    {
        var form = await Form(context);
        var name = form?["name"].ToString().Trim().ToLowerInvariant() ?? "";
        var code = form?["code"].ToString().Trim();
        var login = Names.IsValid(name)
            ? await grains.GetGrain<IAdminAccountsGrain>(0).LogIn(name, form?["password"].ToString() ?? "", string.IsNullOrEmpty(code) ? null : code)
            : new AdminLogin(AdminLoginOutcome.WrongCredentials);
        await Audit(context, "console-login", login.Outcome switch
        {
            AdminLoginOutcome.LoggedIn => "ok",
            AdminLoginOutcome.CodeNeeded => string.IsNullOrEmpty(code) ? "code-missing" : "wrong-code",
            AdminLoginOutcome.TotpSetupNeeded => "totp-setup",
            _ => "wrong-credentials",
        }, Names.IsValid(name) ? name : null, login);
        switch (login.Outcome)
        {
            case AdminLoginOutcome.LoggedIn:
                return await SignIn(context, name, login);
            case AdminLoginOutcome.CodeNeeded:
                return LoginPage(context, StatusCodes.Status401Unauthorized, "Enter the code your authenticator app shows now.");
            case AdminLoginOutcome.TotpSetupNeeded:
                context.Response.Cookies.Append(TotpSetupCookie, SetupSealer(context).Protect($"{name}\n{login.Generation}\n{login.TotpSecret}", TotpSetupTime),
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = TotpPath, MaxAge = TotpSetupTime, Secure = context.Request.IsHttps });
                return TotpPage(StatusCodes.Status200OK, name, login.TotpSecret!, "");
            default:
                return LoginPage(context, StatusCodes.Status401Unauthorized, "Wrong account name or password.");
        }
    }

    private static async Task<IResult> ConfirmTotp(HttpContext context, IGrainFactory grains)
    {
        var form = await Form(context);
        if (Setup(context) is not var (name, generation, secret))
        {
            return LoginPage(context, StatusCodes.Status401Unauthorized, "Setting up the authenticator took too long: log in again.");
        }

        var login = await grains.GetGrain<IAdminAccountsGrain>(0).ConfirmTotp(name, generation, secret, form?["code"].ToString().Trim() ?? "");
        await Audit(context, "console-totp-setup", login.Outcome == AdminLoginOutcome.LoggedIn ? "ok" : "wrong-code", name, login);
        if (login.Outcome != AdminLoginOutcome.LoggedIn)
        {
            return TotpPage(StatusCodes.Status401Unauthorized, name, secret, "That is not the code the app shows now: try again.");
        }

        context.Response.Cookies.Delete(TotpSetupCookie, new CookieOptions { Path = TotpPath });
        return await SignIn(context, name, login);
    }

    private static async Task<IResult> MakeFirstOwner(HttpContext context)
    {
        var form = await Form(context);
        var body = new BootstrapBody(form?["name"].ToString().Trim().ToLowerInvariant(), form?["password"].ToString());
        if (body.Validate() is { IsValid: false } validation)
        {
            return BootstrapPage(StatusCodes.Status400BadRequest, string.Join(" ", validation.Errors.Select(error => $"{error.Key}: {error.Value[0]}.")));
        }

        return await Bootstrap.MakeFirstOwner(context, form?["secret"].ToString(), body.Name!, body.Password!) switch
        {
            Bootstrap.Outcome.Made => LoginPage(context, StatusCodes.Status200OK, $"The owner {body.Name} is made: log in.", isError: false),
            Bootstrap.Outcome.WrongSecret => BootstrapPage(StatusCodes.Status401Unauthorized, "That is not the bootstrap secret."),
            _ => BootstrapPage(StatusCodes.Status409Conflict, "This installation has its first owner already: log in with an account."),
        };
    }

    /// <returns>The posted form, or null when the request is not one.</returns>
    private static async Task<IFormCollection?> Form(HttpContext context) =>
        context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;

    private static async Task<IResult> SignIn(HttpContext context, string name, AdminLogin login)
    {
        await SignInAsync(context, name, login);
        return Results.Redirect("/admin", permanent: false, preserveMethod: false);
    }

    /// <summary>The console's login cookie for the account, whichever way the person logged in.</summary>
    public static async Task SignInAsync(HttpContext context, string name, AdminLogin login)
    {
        var identity = AdminActors.Identity(new AdminActor(name, login.Role), AdminAuthentication.ConsoleScheme,
            new Claim(GenerationClaim, login.Generation.ToString(CultureInfo.InvariantCulture)));
        var clock = context.RequestServices.GetRequiredService<TimeProvider>();
        var properties = new AuthenticationProperties { Items = { [BeganItem] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) } };
        await context.SignInAsync(AdminAuthentication.ConsoleScheme, new ClaimsPrincipal(identity), properties);
    }

    /// <summary>Ends a login past its lifetime, or whose account is gone or changed: the cookie's checks run on every request that carries one.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var gateway = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var began = context.Properties.Items.TryGetValue(BeganItem, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : DateTimeOffset.MinValue;
        var actor = context.Principal is { } principal ? AdminActors.Of(principal) : null;
        var generation = int.TryParse(context.Principal?.FindFirstValue(GenerationClaim), CultureInfo.InvariantCulture, out var number) ? number : -1;
        var role = actor is null ? null : await services.GetRequiredService<IGrainFactory>().GetGrain<IAdminAccountsGrain>(0).CheckLogin(actor.Account, generation);
        if (now - began > gateway.ConsoleSessionMaxLifetime || role is null || role != actor!.Role)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AdminAuthentication.ConsoleScheme);
        }
    }

    private static async Task<IResult> LogOut(HttpContext context)
    {
        await context.SignOutAsync(AdminAuthentication.ConsoleScheme);
        return Results.Redirect(Path);
    }

    public static Task Audit(HttpContext context, string action, string outcome, string? account, AdminLogin login) =>
        context.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IAuditGrain>(0).Append(new AuditEvent(
            context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), AuditKinds.AdminPrefix + action, outcome,
            Source: ClientSource.Of(context), Actor: account,
            ActorRole: login.Outcome == AdminLoginOutcome.WrongCredentials ? null : login.Role.Name()));

    private static ITimeLimitedDataProtector SetupSealer(HttpContext context) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("owg console totp setup").ToTimeLimitedDataProtector();

    private static (string Name, int Generation, string Secret)? Setup(HttpContext context)
    {
        try
        {
            return context.Request.Cookies[TotpSetupCookie] is { } sealedSetup
                && SetupSealer(context).Unprotect(sealedSetup).Split('\n') is [var name, var generation, var secret]
                && int.TryParse(generation, CultureInfo.InvariantCulture, out var number)
                ? (name, number, secret)
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static IResult LoginPage(HttpContext context, int status, string message, bool isError = true) =>
        ConsoleAssets.Page("login.html", status, ("{{message}}", Message(message, isError)),
            ("{{sso}}", context.RequestServices.GetRequiredService<IOptions<ConsoleSsoOptions>>().Value.Enabled ? $"<p class=\"sso\"><a id=\"sso\" href=\"{ConsoleSso.Path}\">Log in with single sign-on</a></p>" : ""));

    private static IResult BootstrapPage(int status, string message) => ConsoleAssets.Page("bootstrap.html", status, ("{{message}}", Message(message, true)));

    private static IResult TotpPage(int status, string name, string secret, string message)
    {
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(OtpAuthUri.For(name, secret), QRCodeGenerator.ECCLevel.M);
        return ConsoleAssets.Page("totp.html", status,
            ("{{message}}", Message(message, true)), ("{{qr}}", new SvgQRCode(code).GetGraphic(4)), ("{{secret}}", HtmlEncoder.Default.Encode(secret)));
    }

    private static string Message(string text, bool isError) =>
        text.Length == 0 ? "" : $"<p class=\"{(isError ? "error" : "notice")}\">{HtmlEncoder.Default.Encode(text)}</p>";
}
