namespace OrleansWg.NodeHost.Convergence;

/// <summary>The observer the server grain pushes desired state to, and the heartbeat's way to converge.</summary>
public sealed class NodeAgent(
    INodeConverger converger, ConvergenceLock convergenceLock, DesiredStateGate gate, IHostApplicationLifetime lifetime) : INodeAgent
{
    /// <summary>A push from the server grain: a change of the desired state, on the hot path of a connect.</summary>
    public Task<NodeActualState> Converge(DesiredNodeState desired) => ConvergeAsync(desired, reconcile: false);

    /// <summary>The heartbeat's convergence, which also finds what changed behind the node's back.</summary>
    public Task<NodeActualState> ReconcileAsync(DesiredNodeState desired) => ConvergeAsync(desired, reconcile: true);

    private Task<NodeActualState> ConvergeAsync(DesiredNodeState desired, bool reconcile)
    {
        var stopping = lifetime.ApplicationStopping;
        return convergenceLock.RunAsync(() => converger.Converge(gate.Newest(desired), reconcile, stopping), stopping);
    }
}
