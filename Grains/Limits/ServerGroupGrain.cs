using Microsoft.Extensions.Logging;

namespace OrleansWg.Grains.Limits;

public sealed class ServerGroupGrain(
    [PersistentState("group", StorageNames.Default)] IPersistentState<ServerGroupState> state,
    ILogger<ServerGroupGrain> logger) : Grain, IServerGroupGrain
{
    public Task<BandwidthLimit?> GetLimit() => Task.FromResult(state.State.Limit);

    public async Task SetLimit(BandwidthLimit? limit)
    {
        state.State.Limit = BandwidthLimit.OrNull(limit);
        await state.WriteStateAsync();
        var group = this.GetPrimaryKeyString();
        logger.LogInformation("Group {Group} has bandwidth limit {Limit}", group, state.State.Limit);
        // A server that misses this (its silo died just now) keeps the limit it had until the next change.
        var servers = await GrainFactory.GetGrain<IServerDirectoryGrain>(0).List();
        await Task.WhenAll(servers.Where(server => server.Group == group).Select(server => GrainFactory.GetGrain<IServerGrain>(server.Id).RefreshGroupLimit()));
    }
}

[GenerateSerializer, Alias("owg.ServerGroupState")]
public sealed record ServerGroupState
{
    [Id(0)] public BandwidthLimit? Limit { get; set; }
}
