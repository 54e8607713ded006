using OrleansWg.Gateway.Admin;

namespace OrleansWg.Gateway.AdminConsole;

/// <summary>The console's page, script and style sheet, built into the Gateway (no build chain, no files beside it).</summary>
public static class ConsoleAssets
{
    // Only this origin's script and style, no inline script, and no framing: what a page shows
    // can never run as code, and no other site can put the console in a frame.
    private const string Policy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin", () => Page("index.html", StatusCodes.Status200OK))
            .RequireAuthorization(AdminAuthentication.ConsolePolicy).ExcludeFromDescription();
        routes.MapGet("/admin/console.js", () => Asset("console.js", "text/javascript")).ExcludeFromDescription();
        routes.MapGet("/admin/console.css", () => Asset("console.css", "text/css")).ExcludeFromDescription();
        return routes.MapConsoleLogin();
    }

    /// <param name="fills">Placeholders and the HTML put in their place (already encoded).</param>
    public static IResult Page(string name, int status, params (string Placeholder, string Html)[] fills)
    {
        var html = fills.Aggregate(Read(name), (page, fill) => page.Replace(fill.Placeholder, fill.Html));
        return new PageResult(html, status);
    }

    private static IResult Asset(string name, string contentType) => Results.Text(Read(name), contentType);

    private static string Read(string name)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream($"OrleansWg.Gateway.AdminConsole.Assets.{name}")
            ?? throw new InvalidOperationException($"the console asset {name} is not built in");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class PageResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.ContentSecurityPolicy = Policy;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return context.Response.WriteAsync(html);
        }
    }
}
