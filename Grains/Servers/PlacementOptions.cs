using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Grains.Servers;

public sealed class PlacementOptions : IValidatableObject
{
    public const string Section = "Placement";

    /// <summary>How many heartbeats a node may send at once (<see cref="HeartbeatBudget"/>).</summary>
    [Range(1, int.MaxValue)]
    public int HeartbeatBurst { get; set; } = 20;

    /// <summary>How many more heartbeats a node may send each second, once its burst is spent.</summary>
    [Positive]
    public double HeartbeatsPerSecond { get; set; } = 5;

    /// <summary>
    /// A server whose node has not been heard from for this long is down: a few of its alive signals
    /// (<c>Node:AliveInterval</c>) missed. Its sessions then move to other servers.
    /// </summary>
    [Positive]
    public TimeSpan NodeDownAfter { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// How long a node that said it is stopping (a restart, an upgrade) may stay away before it is down
    /// and its sessions move: its containers carry their tunnels meanwhile. It takes no new session until it is back.
    /// </summary>
    public TimeSpan NodeRestartGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many sessions of a server that went down are asked to move each second: a node of a thousand
    /// sessions moves them over seconds, not all at once onto the others.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int NodeDownMovesPerSecond { get; set; } = 100;

    /// <summary>How much more loaded (as a share of capacity) a server where the user has a container may be and still come first.</summary>
    [Range(0, double.MaxValue)]
    public double HomeSlack { get; set; } = 0.1;

    /// <summary>
    /// How old a selector's snapshot of the directory may be: it bounds both how stale a choice
    /// is and how often each selector asks the directory. A full server refuses a session itself.
    /// </summary>
    public TimeSpan SnapshotMaxAge { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a server waits for its node to converge: well inside Orleans' 30 s response timeout
    /// and the Gateway's Cluster:ClientCallTimeout, so a slow node is an answer, not a caller's timeout.
    /// A push on a route through a silo that died is never answered and holds the server this long,
    /// its connects and its node's heartbeats queued behind it: ten times the longest a node's lock is held.
    /// </summary>
    public TimeSpan NodeCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a server waits for its node to give a user a container it has none of: the start
    /// may queue in dockerd behind the warm pool's during a login storm. Inside the Gateway's
    /// Cluster:ClientCallTimeout (20 s) too.
    /// </summary>
    public TimeSpan ContainerStartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a selector waits for the directory before it ranks from its last snapshot.</summary>
    public TimeSpan DirectoryTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a server checks that each of its peers still belongs to a live session of its own.</summary>
    [Positive]
    public TimeSpan PeerAuditPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a user's container stays on a server after their last session there ends: a user
    /// who reconnects within it finds the container running, and connects at the cost of a peer.
    /// Zero removes it with the last session.
    /// </summary>
    public TimeSpan ContainerLinger { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (NodeRestartGrace < NodeDownAfter)
        {
            yield return new ValidationResult(
                $"Placement:NodeRestartGrace ({NodeRestartGrace:c}) must be no shorter than Placement:NodeDownAfter ({NodeDownAfter:c}): a node that said it is stopping gets longer than one that fell silent",
                [nameof(NodeRestartGrace), nameof(NodeDownAfter)]);
        }

        // The silo cannot see the nodes' Node:AliveInterval, so it holds NodeDownAfter to the interval's default.
        var leastDownAfter = NodeAliveSignals.DefaultInterval * NodeAliveSignals.MissedBeforeDown;
        if (NodeDownAfter < leastDownAfter)
        {
            yield return new ValidationResult(
                $"Placement:NodeDownAfter ({NodeDownAfter:c}) must be at least {NodeAliveSignals.MissedBeforeDown} x Node:AliveInterval "
                + $"(default {NodeAliveSignals.DefaultInterval:c}), {leastDownAfter:c}: a node is called down only after that many alive signals went missing",
                [nameof(NodeDownAfter)]);
        }
    }
}
