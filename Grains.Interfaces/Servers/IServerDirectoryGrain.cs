namespace OrleansWg;

/// <summary>The known servers and their load; chooses where a session goes. Singleton: key 0.</summary>
[Alias("owg.IServerDirectoryGrain")]
public interface IServerDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Report")] Task Report(ServerSummary summary);

    [Alias("List")] Task<ImmutableArray<ServerSummary>> List();

    [Alias("Rank")] Task<Placement> Rank(PlacementRequest request);
}
