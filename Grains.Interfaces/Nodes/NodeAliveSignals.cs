namespace OrleansWg;

/// <summary>
/// What a node and its server grain agree on about alive signals (<see cref="IServerGrain.NodeAlive"/>):
/// how often a node sends them unless its Node:AliveInterval says otherwise, and how many in a row a
/// server lets go missing (a dropped message, a short stall) before Placement:NodeDownAfter may call the node down.
/// </summary>
public static class NodeAliveSignals
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    public const int MissedBeforeDown = 3;
}
