namespace OrleansWg;

/// <param name="LastActivity">The peer's last handshake or received traffic, as the node last reported it; null when unknown.</param>
/// <param name="NodeDownFor">How long the node has been down (silent for longer than a node may be); null while it is up.</param>
/// <param name="Reported">
/// The server has heard from its node since it became active, so a null <paramref name="LastActivity"/>
/// means the peer has had none; false after a silo's death until the node's next heartbeat.
/// </param>
[GenerateSerializer, Immutable, Alias("owg.PeerStatus")]
public sealed record PeerStatus(DateTimeOffset? LastActivity, TimeSpan? NodeDownFor, bool Reported = true);
