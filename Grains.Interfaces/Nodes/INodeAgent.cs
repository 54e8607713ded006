namespace OrleansWg;

/// <summary>The node side of a server: NodeHost registers one as an observer of its server grain.</summary>
[Alias("owg.INodeAgent")]
public interface INodeAgent : IGrainObserver
{
    /// <summary>Makes the node match <paramref name="desired"/> and says what it now runs.</summary>
    [Alias("Converge")] Task<NodeActualState> Converge(DesiredNodeState desired);

    /// <summary>Makes the node match its desired state with <paramref name="change"/> applied.</summary>
    /// <returns>What it now runs of the change's user; null when it does not hold the revision the change is on, and wants the whole state.</returns>
    [Alias("ConvergeChange")] Task<NodeActualState?> ConvergeChange(DesiredNodeChange change);
}
