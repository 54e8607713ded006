using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace OrleansWg.Hosting;

/// <summary>
/// Traces of this process's work, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (with the OpenTelemetry SDK's other settings, such as <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and
/// <c>OTEL_BSP_SCHEDULE_DELAY</c>); nothing is recorded otherwise. A trace crosses processes in
/// HTTP's <c>traceparent</c> header and in Orleans' activity propagation, so a connect is one trace:
/// the Gateway's request, each grain call, the silo's database commands and the node's work.
/// </summary>
public static class Tracing
{
    public static IServiceCollection AddOrleansWgTracing(
        this IServiceCollection services, IConfiguration configuration, string serviceName, Action<TracerProviderBuilder>? instrument = null)
    {
        if (string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: ProductVersion.Current))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Telemetry.Name, ActivitySources.ApplicationGrainActivitySourceName, ActivitySources.RuntimeActivitySourceName);
                instrument?.Invoke(tracing);
                tracing.AddOtlpExporter();
            });
        return services;
    }
}
