using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace OrleansWg.Hosting;

/// <summary>
/// Serves this process's .NET meters (Orleans' and ours) in the Prometheus text format at
/// <c>http://{Metrics:Host}:{Metrics:Port}/metrics</c>, by prometheus-net, when Metrics:Port is set.
/// A port of its own with no token, like node_exporter's: bind it to loopback or a private network.
/// </summary>
public sealed class MetricsListener(IConfiguration configuration, ILogger<MetricsListener> logger) : IHostedService
{
    private MetricServer? server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var host = configuration["Metrics:Host"] is { Length: > 0 } configured ? configured : "127.0.0.1";
        if (configuration.GetValue<int>("Metrics:Port") is var port and > 0)
        {
            server = new MetricServer(host, port);
            server.Start();
            logger.LogInformation("Metrics at http://{Host}:{Port}/metrics", host, port);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync();
        }
    }
}

public static class MetricsListenerExtensions
{
    public static IServiceCollection AddMetricsListener(this IServiceCollection services) => services.AddHostedService<MetricsListener>();
}
