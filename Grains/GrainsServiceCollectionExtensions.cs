using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansWg.Grains.Dns;
using OrleansWg.Grains.Servers;
using OrleansWg.Grains.Sessions;
using OrleansWg.Grains.Sso;
using OrleansWg.Grains.Users;

namespace OrleansWg.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>The options the grains read, bound from configuration sections of their names.</summary>
    public static IServiceCollection AddOrleansWgGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IIncomingGrainCallFilter, StorageFaultFilter>();
        services.AddOptions<UserOptions>().Bind(configuration.GetSection(UserOptions.Section))
            .Validate(o => o.MaxSessionsPerUser > 0 && o.MaxFailedLogins > 0 && o.MaxConcurrentHashes > 0 && o.HashQueueTimeout >= TimeSpan.Zero,
                "Users: limits must be positive")
            .Validate(o => o.SecretKeys.All(key => key.Length >= 32), "Users:SecretKeys: each key must be 32 characters or more").ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<NodeDownMetrics>();
        services.AddSingleton<PasswordChecks>();
        services.AddSingleton<UserSecrets>();
        services.AddOptions<SsoOptions>().Bind(configuration.GetSection(SsoOptions.Section))
            .Validate(o => o.IsValid, "Sso: Issuer must be an https URL (http only on loopback) with a ClientId, periods positive, and each GroupMap entry PROVIDER_GROUP=SERVER_GROUP").ValidateOnStart();
        services.AddSingleton(provider => new OidcClient(provider.GetRequiredService<IOptions<SsoOptions>>(),
            new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<OidcClient>>()));
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.Section))
            .Validate(o => o.CheckPeriod > TimeSpan.Zero && o.MaxLifetime > TimeSpan.Zero, "Sessions: periods must be positive").ValidateOnStart();
        services.AddOptions<PlacementOptions>().Bind(configuration.GetSection(PlacementOptions.Section))
            .Validate(o => o.NodeDownAfter > TimeSpan.Zero && o.NodeRestartGrace >= o.NodeDownAfter && o.NodeDownMovesPerSecond > 0 && o.PeerAuditPeriod > TimeSpan.Zero && o.HomeSlack >= 0 && o.HeartbeatBurst > 0 && o.HeartbeatsPerSecond > 0,
                "Placement: NodeDownAfter, NodeDownMovesPerSecond, PeerAuditPeriod, HeartbeatBurst and HeartbeatsPerSecond must be positive, NodeRestartGrace no shorter than NodeDownAfter, HomeSlack not negative").ValidateOnStart();
        services.AddOptions<DnsOptions>().Bind(configuration.GetSection(DnsOptions.Section))
            .Validate(o => o.IsValid, "Dns:Upstreams must be IP addresses, separated by commas").ValidateOnStart();
        services.AddOptions<EnrollmentOptions>().Bind(configuration.GetSection(EnrollmentOptions.Section))
            .Validate(o => o.CertificateLifetime >= TimeSpan.FromSeconds(10) && o.JoinTokenLifetime > TimeSpan.Zero,
                "Enrollment: CertificateLifetime must be 10 seconds or more, JoinTokenLifetime positive").ValidateOnStart();
        return services;
    }
}
