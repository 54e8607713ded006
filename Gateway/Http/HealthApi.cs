using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansWg.Hosting;

namespace OrleansWg.Gateway.Http;

/// <summary>
/// The Gateway's health, by ASP.NET Core's health checks. <c>/livez</c> asks nothing beyond the
/// process: an outage elsewhere must not get the Gateway restarted. <c>/healthz</c> asks what a
/// request needs: the cluster, and the database where the Gateway reads the live silos from it.
/// Both answer 200 with the product's version; <c>/healthz</c> answers 503 with Retry-After, as
/// every endpoint does while the cluster cannot answer.
/// </summary>
public static class HealthApi
{
    private const string Ready = "ready";

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddHealthApi(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [Ready], timeout: CheckTimeout);
        var cluster = ClusterSettings.From(configuration, needsDatabase: false);
        if (cluster.ReadsSilosFromDatabase)
        {
            checks.AddNpgSql(cluster.ConnectionString, name: "database", tags: [Ready], timeout: CheckTimeout);
        }

        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/livez", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        routes.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return routes;
    }

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            await context.Response.WriteAsJsonAsync(new HealthResponse("ok", ProductVersion.Current));
            return;
        }

        context.Response.Headers.RetryAfter = ClusterUnavailableHandler.RetryAfterSeconds.ToString();
        var failed = report.Entries.Where(entry => entry.Value.Status != HealthStatus.Healthy).Select(entry => $"the {entry.Key} does not answer");
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Detail = string.Join("; ", failed) },
        });
    }
}

/// <param name="Version">The Gateway's version, which the whole installation shares.</param>
public sealed record HealthResponse(string Status, string Version);
