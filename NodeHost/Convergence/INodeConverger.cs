using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>Makes the node's containers and interfaces match a desired state.</summary>
public interface INodeConverger
{
    /// <summary>Reads what the node runs afresh for a reconcile, without the convergence lock: at 1,000 containers it takes long.</summary>
    Task<ContainerReading> ReadAsync(CancellationToken cancellationToken);

    /// <param name="reading">A reconcile's: converge against it and every interface read again rather than trust what the node last did.</param>
    /// <param name="changedUser">Only this user's container changed: the others are left as they were.</param>
    /// <param name="yieldTurn">
    /// When given, called between slices of users to let other convergences take the lock; it
    /// returns the newest desired state, which the rest of the users are converged to.
    /// </param>
    /// <returns>What the node runs, every user's container.</returns>
    Task<NodeActualState> Converge(
        DesiredNodeState desired, ContainerReading? reading, string? changedUser, Func<Task<DesiredNodeState>>? yieldTurn, CancellationToken cancellationToken);
}
