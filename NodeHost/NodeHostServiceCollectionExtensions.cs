using Docker.DotNet;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansWg.NodeHost.Convergence;
using OrleansWg.NodeHost.Dns;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.Fence;
using OrleansWg.NodeHost.WireGuard;
using OrleansWg.Hosting;

namespace OrleansWg.NodeHost;

public static class NodeHostServiceCollectionExtensions
{
    /// <summary>Docker Engine API 1.41 is Docker 20.10's, the oldest engine this node runs on.</summary>
    private static readonly Version DockerApiVersion = new(1, 41);

    public static IServiceCollection AddNodeAgent(this IServiceCollection services)
    {
        services.AddValidatedSettings<NodeOptions>(NodeOptions.Section);
        services.AddSingleton<IDockerClient>(provider =>
        {
            var node = provider.GetRequiredService<IOptions<NodeOptions>>().Value;
            return new DockerClientConfiguration(new Uri(node.DockerEndpoint), defaultTimeout: node.DockerTimeout).CreateClient(DockerApiVersion);
        });
        services.AddSingleton(ChooseWireGuard);
        services.AddSingleton<ShimPriority>();
        services.AddSingleton<SessionContainers>();
        services.AddSingleton<NodeFence>();
        services.AddSingleton<TrafficShaping>();
        services.AddSingleton<ConvergenceLock>();
        services.AddSingleton<DesiredStateGate>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PeerTraffic>();
        services.AddSingleton<INodeConverger, DockerNodeConverger>();
        services.AddSingleton<WarmPool>();
        services.AddHostedService(provider => provider.GetRequiredService<WarmPool>());
        services.AddSingleton<ConvergenceMetrics>();
        services.AddSingleton<NodeAgent>();
        services.AddSingleton<ResolverStatistics>();
        services.AddSingleton<NodeResolver>();
        services.AddHostedService(provider => provider.GetRequiredService<NodeResolver>());
        services.AddHostedService<NodeRegistrar>();
        return services;
    }

    /// <summary>The node's WireGuard, chosen once and logged: where a container's interface comes from for the node's whole run.</summary>
    private static IWireGuardBackend ChooseWireGuard(IServiceProvider provider)
    {
        var node = provider.GetRequiredService<IOptions<NodeOptions>>().Value;
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IWireGuardBackend));
        var (netlink, unusable) = node.WireGuard == WireGuardMode.Userspace ? (null, "Node:WireGuard is Userspace") : WireGuardModeChoice.ProbeKernel();
        if (WireGuardModeChoice.Choose(node.WireGuard, unusable) == WireGuardMode.Kernel)
        {
            logger.LogInformation("WireGuard: the kernel's, configured over netlink");
            return new KernelWireGuard(
                netlink!, provider.GetRequiredService<IDockerClient>(), node, provider.GetRequiredService<ILogger<KernelWireGuard>>());
        }

        logger.LogInformation("WireGuard: wireguard-go in each container ({Reason})", unusable);
        return new UserspaceWireGuard(node);
    }
}
