using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OrleansWg.NodeHost.Dns;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.Fence;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// Registers the node and its agent with the server grain every heartbeat, handing over what it
/// ran last (with the peers' handshakes), and reconciles to the desired state the grain answers
/// with, at most every <see cref="NodeOptions.ReconcileInterval"/>: a restarted silo or node heals
/// by itself, and nothing is orphaned. The heartbeat never
/// waits for a reconcile: it runs beside it, on the newest desired state, so a slow container
/// or a hung dockerd cannot make the node look down.
/// </summary>
public sealed class NodeRegistrar(
    IGrainFactory grains,
    NodeAgent agent,
    NodeResolver resolver,
    NodeFence fence,
    IWireGuardBackend wireGuard,
    IOptions<NodeOptions> options,
    ILogger<NodeRegistrar> logger) : BackgroundService
{
    private readonly Channel<DesiredNodeState> toReconcile = Channel.CreateBounded<DesiredNodeState>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });

    // The agent as the server grain knows it, once the heartbeats have begun.
    private INodeAgent? reference;

    /// <summary>Fences the node in before it takes any session: a node that cannot, does not start.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var shortfall in HostLimits.Shortfalls(
                     new ContainerLoad(HostLimits.Containers(options.Value), wireGuard.Mode, HostLimits.HostHasCgroupV2()), HostLimits.ReadProcSys))
        {
            logger.LogWarning("Host limit too low: {Shortfall}", shortfall);
        }

        await fence.EnforceAsync();
        await Task.WhenAll(HeartbeatAsync(stoppingToken), ReconcileAsync(stoppingToken), SignalAliveAsync(stoppingToken));
    }

    /// <summary>
    /// Tells the server grain the node is alive, every <see cref="NodeOptions.AliveInterval"/>: one-way,
    /// so nothing the node or the grain is busy with delays the next one.
    /// </summary>
    private async Task SignalAliveAsync(CancellationToken stoppingToken)
    {
        var server = grains.GetGrain<IServerGrain>(options.Value.ServerId);
        using var alive = new PeriodicTimer(options.Value.AliveInterval);
        do
        {
            try
            {
                await server.NodeAlive();
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The heartbeats say why the cluster is out of reach.
                logger.LogDebug(exception, "Alive signal of {ServerId} not sent", options.Value.ServerId);
            }
        }
        while (await alive.WaitForNextTickAsync(stoppingToken));
    }

    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        var node = options.Value;
        var server = grains.GetGrain<IServerGrain>(node.ServerId);
        reference = grains.CreateObjectReference<INodeAgent>(agent);
        using var heartbeat = new PeriodicTimer(node.HeartbeatInterval);
        do
        {
            try
            {
                var desired = await server.Register(node.ToRegistration(wireGuard.Mode), reference, agent.LastActual).WaitAsync(node.HeartbeatTimeout, stoppingToken);
                resolver.Want(desired.DnsStamp);
                toReconcile.Writer.TryWrite(desired);
            }
            catch (ServerNotEnrolledException refused) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Heartbeat of {ServerId} refused: {Reason}; trying again in {Interval}", node.ServerId, refused.Message, node.HeartbeatInterval);
            }
            catch (TimeoutException) when (!stoppingToken.IsCancellationRequested)
            {
                // The call still lands unless its silo is gone: in a login storm the server grain answers connects first.
                logger.LogWarning("Heartbeat of {ServerId} got no answer within {Timeout}: its server grain is busy or its silo is gone; trying again in {Interval}",
                    node.ServerId, node.HeartbeatTimeout, node.HeartbeatInterval);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Heartbeat of {ServerId} failed; trying again in {Interval}", node.ServerId, node.HeartbeatInterval);
            }
        }
        while (await heartbeat.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Tells the server grain that the node is stopping, so that no connect waits on it while it is
    /// away (its containers run on). A node that cannot say so is called down by its silence, as one that died.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (reference is null)
        {
            return;
        }

        var node = options.Value;
        try
        {
            await grains.GetGrain<IServerGrain>(node.ServerId).Leave(reference).WaitAsync(node.HeartbeatTimeout, cancellationToken);
            logger.LogInformation("Told server {ServerId} that its node is stopping", node.ServerId);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not tell server {ServerId} that its node is stopping", node.ServerId);
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        await foreach (var desired in toReconcile.Reader.ReadAllAsync(stoppingToken))
        {
            var started = TimeProvider.System.GetTimestamp();
            try
            {
                await agent.ReconcileAsync(desired);
            }
            catch (NodeFaultException)
            {
                // Logged by the agent; the next heartbeat's desired state is reconciled again.
            }

            // Meanwhile the heartbeats go on; the newest one's desired state is reconciled next.
            var rest = options.Value.ReconcileInterval - TimeProvider.System.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, stoppingToken);
            }
        }
    }
}
