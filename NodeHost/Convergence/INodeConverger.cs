namespace OrleansWg.NodeHost.Convergence;

/// <summary>Makes the node's containers and interfaces match a desired state.</summary>
public interface INodeConverger
{
    /// <param name="reconcile">Read the node's containers afresh rather than trust what the node last did to them.</param>
    /// <param name="changedUser">Only this user's container changed: the others are left as they were.</param>
    /// <returns>What the node runs, every user's container.</returns>
    Task<NodeActualState> Converge(DesiredNodeState desired, bool reconcile, string? changedUser, CancellationToken cancellationToken);
}
