namespace OrleansWg;

/// <summary>The node side of a server: NodeHost registers one as an observer of its server grain.</summary>
[Alias("owg.INodeAgent")]
public interface INodeAgent : IGrainObserver
{
    /// <summary>Makes the node match <paramref name="desired"/> and says what it now runs.</summary>
    [Alias("Converge")] Task<NodeActualState> Converge(DesiredNodeState desired);
}
