namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// The observer the server grain pushes desired state to, and the heartbeat's way to converge.
/// What fails as a whole leaves as our own <see cref="NodeFaultException"/> (Docker's exceptions
/// have no codec and would reach the grain as a codec error), logged here where it happened.
/// </summary>
public sealed class NodeAgent(
    INodeConverger converger, ConvergenceLock convergenceLock, DesiredStateGate gate, IHostApplicationLifetime lifetime,
    ILogger<NodeAgent> logger) : INodeAgent
{
    /// <summary>What the node ran after its latest convergence, push or reconcile; null before the first.</summary>
    public NodeActualState? LastActual { get; private set; }

    /// <summary>A push from the server grain: a change of the desired state, on the hot path of a connect.</summary>
    public Task<NodeActualState> Converge(DesiredNodeState desired) => ConvergeAsync(desired, reconcile: false);

    /// <summary>The heartbeat's convergence, which also finds what changed behind the node's back.</summary>
    public Task<NodeActualState> ReconcileAsync(DesiredNodeState desired) => ConvergeAsync(desired, reconcile: true);

    private async Task<NodeActualState> ConvergeAsync(DesiredNodeState desired, bool reconcile)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            return LastActual = await convergenceLock.RunAsync(() => converger.Converge(gate.Newest(desired), reconcile, stopping), stopping);
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The node could not converge to revision {Revision}", desired.Revision);
            throw new NodeFaultException($"the node could not converge: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
