namespace OrleansWg.NodeHost.WireGuard;

/// <summary>What a WireGuard interface says of itself (UAPI "get=1", or a netlink device dump). Keys are base64.</summary>
/// <param name="ListenPort">The UDP port it listens on; 0 before it is up with none set.</param>
public sealed record WireGuardDevice(string? PrivateKey, int ListenPort, IReadOnlyList<WireGuardPeer> Peers);

/// <param name="LastHandshake">null when the peer never completed a handshake.</param>
/// <param name="ReceivedBytes">All the bytes received from the peer since it was added; <paramref name="SentBytes"/> likewise.</param>
public sealed record WireGuardPeer(string PublicKey, IReadOnlyList<string> AllowedIps, DateTimeOffset? LastHandshake, long ReceivedBytes, long SentBytes);
