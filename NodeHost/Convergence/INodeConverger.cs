namespace OrleansWg.NodeHost.Convergence;

/// <summary>Makes the node's containers and interfaces match a desired state.</summary>
public interface INodeConverger
{
    Task<NodeActualState> Converge(DesiredNodeState desired, CancellationToken cancellationToken);
}
