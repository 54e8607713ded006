namespace OrleansWg.NodeHost.Docker;

/// <summary>The node's containers as Docker listed them in a reading without the convergence lock.</summary>
/// <param name="Leaving">The containers being removed when the reading began: Docker may still list them.</param>
public sealed record ContainerReading(IReadOnlyList<SessionContainer> Listed, IReadOnlySet<string> Leaving);
