namespace OrleansWg.NodeHost.Convergence;

/// <summary>The observer the server grain pushes desired state to.</summary>
public sealed class NodeAgent(INodeConverger converger, ConvergenceLock convergenceLock, IHostApplicationLifetime lifetime) : INodeAgent
{
    public Task<NodeActualState> Converge(DesiredNodeState desired)
    {
        var stopping = lifetime.ApplicationStopping;
        return convergenceLock.RunAsync(() => converger.Converge(desired, stopping), stopping);
    }
}
