namespace OrleansWg;

/// <summary>The known servers and their load. Singleton: key 0; connects ask <see cref="IServerSelectorGrain"/>.</summary>
[Alias("owg.IServerDirectoryGrain")]
public interface IServerDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Report")] Task Report(ServerSummary summary);

    [Alias("List")] Task<ImmutableArray<ServerSummary>> List();
}
