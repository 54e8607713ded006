using OrleansWg.NodeHost.Convergence;

namespace OrleansWg.NodeHost;

public static class NodeHostServiceCollectionExtensions
{
    /// <summary>The node agent and its heartbeat; the caller adds the <see cref="INodeConverger"/>.</summary>
    public static IServiceCollection AddNodeAgent(this IServiceCollection services)
    {
        services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.PortMin <= o.PortMax, "Node: PortMin must not be above PortMax")
            .ValidateOnStart();
        services.AddSingleton<NodeAgent>();
        services.AddHostedService<NodeRegistrar>();
        return services;
    }
}
