using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Configuration;

namespace OrleansWg.Hosting;

public static class ClusterClientExtensions
{
    /// <summary>Joins the cluster as a client; while no silo answers it retries for <paramref name="retryFor"/>.</summary>
    /// <param name="identity">The client's identity; null: the files Cluster:Tls:* names.</param>
    public static IClientBuilder UseOrleansWgCluster(this IClientBuilder client, IConfiguration configuration, TimeSpan retryFor, ClusterIdentity? identity = null)
    {
        var settings = ClusterSettings.From(configuration, needsDatabase: false);
        identity ??= ClusterIdentity.Load(settings.Tls);
        client.UseTls(identity.Certificate, identity.Configure);
        client.RequireSilosOnLinks();
        client.Services.AddSingleton(identity);
        client.AddOutgoingGrainCallFilter<CredentialSender>();
        // A grain call carries the caller's trace (Tracing), at no cost while nothing listens.
        client.AddActivityPropagation();
        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });
        client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = settings.ClientCallTimeout);
        client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = settings.GatewayListRefreshPeriod);
        if (settings.ReadsSilosFromDatabase)
        {
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = ClusterSettings.AdoNetInvariant;
                options.ConnectionString = settings.ConnectionString;
            });
        }
        else
        {
            client.UseStaticClustering(settings.GatewayEndpoints());
        }

        var giveUpAt = DateTimeOffset.UtcNow + retryFor;
        client.UseConnectionRetryFilter(async (_, cancellationToken) =>
        {
            if (DateTimeOffset.UtcNow >= giveUpAt)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        });
        return client;
    }
}
