namespace OrleansWg;

/// <summary>Everything a node should run: exactly these containers with exactly these peers.</summary>
/// <param name="Revision">
/// Grows with every change. A heartbeat's answer and a connect's push can reach the node in
/// either order, and a node never goes back to an older revision than one it has applied.
/// </param>
/// <param name="DnsStamp">
/// The <see cref="DnsPolicy.Stamp"/> of the policy the node's resolver should apply; the node asks
/// its server for the policy itself when it has not applied this one. null: the server has not read it yet.
/// </param>
/// <param name="Epoch">
/// The activation of the server grain that made this state: each activation takes a later one
/// than any before it (the clock's ticks, or one more than the last). Revisions are counted
/// within an epoch: a new activation reads its state from the database, whose revisions may be
/// older than those the node holds (after a restore of a backup), so a node takes a state of a
/// later epoch whatever its revision, and never one of an earlier epoch.
/// </param>
[GenerateSerializer, Immutable, Alias("owg.DesiredNodeState")]
public sealed record DesiredNodeState(string ServerId, ImmutableArray<DesiredContainer> Containers, long Revision, string? DnsStamp = null, long Epoch = 0);

/// <summary>
/// One user's container. The node chooses its UDP port and reports it: a warm container is
/// made before anyone knows whose it will be.
/// </summary>
[GenerateSerializer, Immutable, Alias("owg.DesiredContainer")]
public sealed record DesiredContainer(string User, ImmutableArray<DesiredPeer> Peers);

/// <param name="AllowedIp">The peer's tunnel address as a /32.</param>
/// <param name="Limit">The rates the node holds the peer's traffic to; null: none.</param>
[GenerateSerializer, Immutable, Alias("owg.DesiredPeer")]
public sealed record DesiredPeer(string PublicKey, string AllowedIp, BandwidthLimit? Limit = null);
