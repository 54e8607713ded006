namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// Which host UDP port a new container is published on: the lowest of the node's range that none
/// of its containers holds and nothing else on the host listens on. A container being removed still
/// holds its port until Docker lets it go.
/// </summary>
public static class PortChoice
{
    /// <param name="boundOnHost">The UDP ports bound on the host (<see cref="HostUdpPorts.Bound"/>).</param>
    public static int Lowest(int portMin, int portMax, IReadOnlyCollection<SessionContainer> present, IEnumerable<SessionContainer> leaving,
        IEnumerable<int> boundOnHost) =>
        present.Count >= SessionContainers.MaxPerNetwork
            ? throw new InvalidOperationException($"the node's Docker network holds {SessionContainers.MaxPerNetwork} containers, as many as a Linux bridge takes")
            : FreeSlot.First(portMin, portMax, present.Concat(leaving).Select(c => c.Port).Concat(boundOnHost))
                ?? throw new InvalidOperationException($"the UDP port range {portMin}-{portMax} is used up");
}
