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
        services.AddOptions<UserOptions>().Bind(configuration.GetSection(UserOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<NodeDownMetrics>();
        services.AddSingleton<PasswordChecks>();
        services.AddSingleton<UserSecrets>();
        services.AddOptions<SsoOptions>().Bind(configuration.GetSection(SsoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => new OidcClient(provider.GetRequiredService<IOptions<SsoOptions>>(),
            new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<OidcClient>>()));
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PlacementOptions>().Bind(configuration.GetSection(PlacementOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlacementOptions>, NodeCallsFitResponseTimeout>();
        services.AddOptions<DnsOptions>().Bind(configuration.GetSection(DnsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EnrollmentOptions>().Bind(configuration.GetSection(EnrollmentOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
