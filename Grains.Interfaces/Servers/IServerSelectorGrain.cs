namespace OrleansWg;

/// <summary>
/// Chooses where a session goes. A stateless worker with a short-lived snapshot of the
/// directory, so that many connects at once do not queue on one grain; the server grain stays
/// the authority on capacity and refuses a session it has no room for. Key 0.
/// </summary>
[Alias("owg.IServerSelectorGrain")]
[Version(1)]
public interface IServerSelectorGrain : IGrainWithIntegerKey
{
    [Alias("Rank")] Task<Placement> Rank(PlacementRequest request);
}
