using OrleansWg.Gateway.Admin;
using Prometheus;

namespace OrleansWg.Gateway.Metrics;

public static class MetricsApi
{
    /// <summary>
    /// Every .NET meter of the process (ours, Orleans', ASP.NET Core's) in the Prometheus text
    /// format, by prometheus-net; a scraper sends an API token of the metrics role, which reads nothing else.
    /// </summary>
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapMetrics("/metrics").RequirePermission(AdminPermission.ReadMetrics)
            .WithSummary("Connects, servers, sessions, and Orleans' and ASP.NET Core's meters, in the Prometheus text format.");
        return routes;
    }
}
