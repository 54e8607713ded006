using Microsoft.Extensions.Options;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// Registers the node and its agent with the server grain, converges to the desired state it
/// answers with, and does it again every heartbeat, handing over what it ran last time (with the
/// peers' handshakes): a restarted silo or node heals by itself, and nothing is orphaned.
/// </summary>
public sealed class NodeRegistrar(
    IGrainFactory grains,
    NodeAgent agent,
    IOptions<NodeOptions> options,
    ILogger<NodeRegistrar> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var node = options.Value;
        var server = grains.GetGrain<IServerGrain>(node.ServerId);
        var reference = grains.CreateObjectReference<INodeAgent>(agent);
        using var heartbeat = new PeriodicTimer(node.HeartbeatInterval);
        NodeActualState? actual = null;
        do
        {
            try
            {
                var desired = await server.Register(node.ToRegistration(), reference, actual).WaitAsync(node.HeartbeatTimeout, stoppingToken);
                actual = await agent.ReconcileAsync(desired);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Heartbeat of {ServerId} failed; trying again in {Interval}", node.ServerId, node.HeartbeatInterval);
            }
        }
        while (await heartbeat.WaitForNextTickAsync(stoppingToken));
    }
}
