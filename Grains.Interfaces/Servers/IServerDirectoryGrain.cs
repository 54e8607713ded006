namespace OrleansWg;

/// <summary>The known servers and their load. Singleton: key 0; connects ask <see cref="IServerSelectorGrain"/>.</summary>
[Alias("owg.IServerDirectoryGrain")]
[Version(1)]
public interface IServerDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>One-way: a server never waits on the directory (which may be moving between silos); it reports again on every heartbeat.</summary>
    [Alias("Report"), OneWay] Task Report(ServerSummary summary);

    [Alias("List")] Task<ImmutableArray<ServerSummary>> List();
}
