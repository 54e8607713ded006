using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansWg.Hosting;

/// <summary>The version every process reports (in its log at start; the Gateway's /healthz and /livez too): the build's, set in Directory.Build.props.</summary>
public static class ProductVersion
{
    public static string Current { get; } =
        (typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+')[0];

    /// <summary>Logs the process's name and version once it starts.</summary>
    public static IServiceCollection AddVersionLog(this IServiceCollection services) => services.AddHostedService<VersionLog>();

    private sealed class VersionLog(IHostEnvironment environment, ILogger<VersionLog> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogInformation("{Application} {Version}", environment.ApplicationName, Current);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
