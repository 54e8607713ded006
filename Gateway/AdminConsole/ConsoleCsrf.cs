using Microsoft.AspNetCore.Antiforgery;
using OrleansWg.Gateway.Admin;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.AdminConsole;

/// <summary>
/// A change made with the console's cookie must carry the antiforgery token in its header: the
/// cookie goes with any request the browser makes, the header only with the console's own.
/// Requests with the admin token carry no ambient credential and need none.
/// </summary>
public static class ConsoleCsrf
{
    public const string Header = "X-CSRF-Token";

    public static IApplicationBuilder UseConsoleCsrf(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var safe = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method);
        if (!safe && AdminAuthentication.IsConsoleRequest(context)
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            context.Response.Headers.Connection = "close";
            await Problems.Of(StatusCodes.Status403Forbidden, $"a change from the console needs its {Header} header").ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
