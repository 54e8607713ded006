using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansWg.Silo.Audit;

/// <summary>Deletes audit events past <see cref="AuditOptions.Retention"/>, every <see cref="AuditOptions.PruneEvery"/>.</summary>
public sealed class AuditRetention(PostgresAuditLog log, IOptions<AuditOptions> options, ILogger<AuditRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PruneEvery);
        do
        {
            try
            {
                if (await log.Prune(options.Value.Retention) is var deleted and > 0)
                {
                    logger.LogInformation("Deleted {Count} audit events older than {Retention}", deleted, options.Value.Retention);
                }
            }
            catch (StorageUnavailableException)
            {
                // Logged by the log; the next round tries again.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
