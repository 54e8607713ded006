namespace OrleansWg.Grains.Servers;

public sealed class ServerDirectoryGrain(
    [PersistentState("servers", StorageNames.Default)] IPersistentState<Dictionary<string, ServerSummary>> servers)
    : Grain, IServerDirectoryGrain
{
    public async Task Report(ServerSummary summary)
    {
        var known = servers.State.TryGetValue(summary.Id, out var previous);
        servers.State[summary.Id] = summary;
        // Load and liveness change all the time and are reported again on every heartbeat:
        // only what the server is gets written.
        if (!known || previous!.Group != summary.Group || previous.Capacity != summary.Capacity || previous.Draining != summary.Draining)
        {
            await servers.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<ServerSummary>> List() =>
        Task.FromResult(servers.State.Values.OrderBy(server => server.Id, StringComparer.Ordinal).ToImmutableArray());
}
