namespace OrleansWg.NodeHost.Convergence;

/// <summary>Makes the node's containers and interfaces match a desired state.</summary>
public interface INodeConverger
{
    /// <param name="reconcile">Read the node's containers afresh rather than trust what the node last did to them.</param>
    /// <param name="changedUser">Only this user's container changed: the others are left as they were.</param>
    /// <param name="yieldTurn">
    /// When given, called between slices of users to let other convergences take the lock; it
    /// returns the newest desired state, which the rest of the users are converged to.
    /// </param>
    /// <returns>What the node runs, every user's container.</returns>
    Task<NodeActualState> Converge(DesiredNodeState desired, bool reconcile, string? changedUser, Func<Task<DesiredNodeState>>? yieldTurn, CancellationToken cancellationToken);
}
