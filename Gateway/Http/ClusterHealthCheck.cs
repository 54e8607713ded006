using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansWg.Gateway.Http;

/// <summary>
/// Whether the cluster answers a grain call: the server directory's list, which every silo can
/// serve from memory, so the check asks the silos and the links to them, not the database.
/// </summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await grains.GetGrain<IServerDirectoryGrain>(0).List().WaitAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
