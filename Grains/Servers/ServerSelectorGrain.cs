using Orleans.Concurrency;

namespace OrleansWg.Grains.Servers;

[StatelessWorker]
public sealed class ServerSelectorGrain(IOptions<PlacementOptions> options, TimeProvider clock) : Grain, IServerSelectorGrain
{
    private ImmutableArray<ServerSummary> snapshot = [];
    private DateTimeOffset takenAt = DateTimeOffset.MinValue;

    public async Task<Placement> Rank(PlacementRequest request)
    {
        var now = clock.GetUtcNow();
        if (now - takenAt >= options.Value.SnapshotMaxAge)
        {
            await TakeSnapshot(now);
        }

        var placement = ServerChooser.Rank(snapshot, request, now, options.Value, Random.Shared);
        if (placement.Failure is not null && takenAt < now)
        {
            // A server that registered or freed up since the snapshot should not be refused: look again.
            await TakeSnapshot(now);
            placement = ServerChooser.Rank(snapshot, request, now, options.Value, Random.Shared);
        }

        return placement;
    }

    private async Task TakeSnapshot(DateTimeOffset now)
    {
        snapshot = await GrainFactory.GetGrain<IServerDirectoryGrain>(0).List();
        takenAt = now;
    }
}
