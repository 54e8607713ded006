using Microsoft.Extensions.Logging;

namespace OrleansWg.Grains.Servers;

/// <summary>The node's liveness: its alive signals, the checks that call it down (<see cref="NodeLiveness"/>), and its sessions asked to move when it is.</summary>
public sealed partial class ServerGrain
{
    // A node's liveness is not persisted: a new activation counts from its own start until the node is heard.
    private readonly NodeLiveness liveness = new(clock, options.Value.NodeDownAfter, options.Value.NodeRestartGrace, NodeLiveness.CheckPeriodFor(options.Value.NodeDownAfter));

    // When the node was last heard from, as the admins see it.
    private DateTimeOffset? lastSeen;

    // The sessions of a node that went down being asked, a few a second, to move.
    private Task? movingAway;

    public Task NodeAlive()
    {
        RefuseUnadmittedNode();
        Heard(aliveSignal: true);
        return Task.CompletedTask;
    }

    private void Heard(bool aliveSignal)
    {
        lastSeen = clock.GetUtcNow();
        if (liveness.Heard(aliveSignal))
        {
            logger.LogInformation("Server {ServerId}: its node is heard from again", Id);
        }
    }

    private bool IsConnected => Server.Agent is not null && !liveness.IsDown;

    /// <summary>
    /// Judges whether the node is alive (<see cref="NodeLiveness"/>); when it has just gone down, its
    /// sessions start to move. Tells the directory the server's load and liveness each time, so that
    /// placement follows within a check.
    /// </summary>
    private Task CheckLiveness(CancellationToken cancellationToken)
    {
        if (liveness.Check())
        {
            logger.LogWarning("Server {ServerId}: its node is down, not heard from since {LastSeen}; its {Sessions} sessions move to other servers",
                Id, lastSeen, containers.PeerCount);
            downs.CalledDown(Id);
            MoveSessionsAway();
        }

        return ReportLoad();
    }

    /// <summary>
    /// Asks each session of the server to check now, which moves it while the node is down, at most
    /// <see cref="PlacementOptions.NodeDownMovesPerSecond"/> a second; stops when the node is heard again.
    /// </summary>
    private void MoveSessionsAway()
    {
        if (movingAway is null or { IsCompleted: true })
        {
            movingAway = AskSessionsToMove();
        }
    }

    private async Task AskSessionsToMove()
    {
        var sessions = containers.All.SelectMany(container => container.Value.Peers.Keys).ToList();
        var perSecond = options.Value.NodeDownMovesPerSecond;
        for (var asked = 0; asked < sessions.Count && liveness.IsDown; asked++)
        {
            if (asked > 0 && asked % perSecond == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), clock);
            }

            await GrainFactory.GetGrain<ISessionGrain>(sessions[asked]).Check();
        }
    }
}
