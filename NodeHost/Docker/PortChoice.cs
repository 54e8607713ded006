namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// Which host UDP port a new container is published on: the lowest of the node's range that none
/// of its containers holds. A container being removed still holds its port until Docker lets it go.
/// </summary>
public static class PortChoice
{
    public static int Lowest(int portMin, int portMax, IReadOnlyCollection<SessionContainer> present, IEnumerable<SessionContainer> leaving) =>
        present.Count >= SessionContainers.MaxPerNetwork
            ? throw new InvalidOperationException($"the node's Docker network holds {SessionContainers.MaxPerNetwork} containers, as many as a Linux bridge takes")
            : FreeSlot.First(portMin, portMax, present.Concat(leaving).Select(c => c.Port))
                ?? throw new InvalidOperationException($"the UDP port range {portMin}-{portMax} is used up");
}
