namespace OrleansWg.NodeHost.Convergence;

/// <summary>Makes the node's containers and interfaces match a desired state.</summary>
public interface INodeConverger
{
    /// <param name="reconcile">Read the node's containers afresh rather than trust what the node last did to them.</param>
    Task<NodeActualState> Converge(DesiredNodeState desired, bool reconcile, CancellationToken cancellationToken);
}
