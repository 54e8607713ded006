using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Servers;

/// <summary>The server's group: its bandwidth limit and DNS policy, read when the group tells of a change and now and then on a heartbeat.</summary>
public sealed partial class ServerGrain
{
    // A group tells its servers of a change once: a server that missed it (its silo died just then)
    // reads the group again on a heartbeat at least this long after its last read.
    private static readonly TimeSpan GroupRecheckPeriod = TimeSpan.FromMinutes(1);

    // When this activation last asked for the group's limit and DNS policy; null: not yet.
    private DateTimeOffset? groupReadAt;

    public Task RefreshGroup() => ReadGroup(answeringNode: false);

    /// <param name="answeringNode">A heartbeat's: its answer carries the new policy's stamp, so only a new limit needs a push.</param>
    private async Task ReadGroup(bool answeringNode)
    {
        if (Server.Effective is not { } registration)
        {
            return;
        }

        BandwidthLimit? limit;
        SessionDns dns;
        // Counted from the attempt: a group that does not answer is asked again a recheck later, not on every heartbeat.
        groupReadAt = clock.GetUtcNow();
        try
        {
            // Bounded: the group grain may be on a silo that just died, and this grain answers heartbeats and connects.
            var group = GrainFactory.GetGrain<IServerGroupGrain>(registration.Group);
            limit = await group.GetLimit().WaitAsync(options.Value.DirectoryTimeout);
            dns = await group.GetSessionDns().WaitAsync(options.Value.DirectoryTimeout);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Server {ServerId} could not read the settings of its group {Group}; it keeps limit {Limit} and DNS policy {Stamp}",
                Id, registration.Group, Server.GroupLimit, Server.GroupDns?.Stamp);
            return;
        }

        if (limit == Server.GroupLimit && dns.Stamp == Server.GroupDns?.Stamp)
        {
            return;
        }

        var previous = Server.GroupLimit;
        Server.GroupLimit = limit;
        Server.GroupDns = dns;
        Server.Revision++;
        await state.WriteStateAsync();
        logger.LogInformation("Server {ServerId} applies its group's bandwidth limit {Limit} and DNS policy {Stamp}", Id, limit, dns.Stamp);
        if (!answeringNode || limit != previous)
        {
            PushWritten("its group's settings");
        }

        foreach (var (sessionId, peer) in containers.All.SelectMany(container => container.Value.Peers))
        {
            if (BandwidthLimit.Of(peer.Limit, limit) is var applied && applied != BandwidthLimit.Of(peer.Limit, previous))
            {
                await GrainFactory.GetGrain<ISessionGrain>(sessionId).LimitApplied(applied);
            }
        }
    }

    public Task<GroupDns> GetDnsPolicy()
    {
        RefuseUnadmittedNode();
        return GrainFactory.GetGrain<IServerGroupGrain>(Server.Effective?.Group ?? ServerPermissions.GenericGroup).GetDns();
    }
}
