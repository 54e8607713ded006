using System.Text;
using OrleansWg.Gateway.Admin;

namespace OrleansWg.Gateway.Metrics;

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        // Server ids, addresses and loads are for operators: a scraper sends the admin token as its bearer token.
        routes.MapGet("/metrics", Metrics).RequireAdmin()
            .WithSummary("Connects and server loads in the Prometheus text format.");
        return routes;
    }

    private static async Task<IResult> Metrics(ConnectMetrics connects, IGrainFactory grains)
    {
        var text = new StringBuilder();
        connects.WriteTo(text);
        var views = await grains.DescribeServersAsync();
        Gauge(text, views, "owg_server_up", "1 when the server's node is connected and sends heartbeats.", view => view.Connected ? 1 : 0);
        Gauge(text, views, "owg_server_draining", "1 when the server takes no new sessions.", view => view.Draining ? 1 : 0);
        Gauge(text, views, "owg_server_sessions", "Sessions on the server.", view => view.Peers.Length);
        Gauge(text, views, "owg_server_capacity", "Sessions the server may hold.", view => view.Registration.Capacity);
        return Results.Text(text.ToString(), PrometheusText.ContentType);
    }

    private static void Gauge(StringBuilder text, ServerView[] views, string name, string help, Func<ServerView, double> value)
    {
        PrometheusText.Header(text, name, "gauge", help);
        foreach (var view in views)
        {
            PrometheusText.Sample(text, name, value(view), ("server", view.Id), ("group", view.Registration.Group));
        }
    }
}
