using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace OrleansWg.Grains.Servers;

[StatelessWorker]
public sealed class ServerSelectorGrain(IOptions<PlacementOptions> options, TimeProvider clock, ILogger<ServerSelectorGrain> logger) : Grain, IServerSelectorGrain
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
        try
        {
            snapshot = await GrainFactory.GetGrain<IServerDirectoryGrain>(0).List().WaitAsync(options.Value.DirectoryTimeout);
            takenAt = now;
        }
        catch (Exception exception) when (!snapshot.IsEmpty)
        {
            // The directory is moving to another silo: rank from the last snapshot a little longer;
            // its servers' last heartbeats age in it, and a server refuses what it has no room for.
            logger.LogWarning(exception, "The server directory did not answer; ranking from a snapshot taken at {TakenAt}", takenAt);
        }
    }
}
