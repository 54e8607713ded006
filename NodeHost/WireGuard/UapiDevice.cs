namespace OrleansWg.NodeHost.WireGuard;

/// <summary>What a WireGuard interface says of itself on "get=1". Keys are base64.</summary>
/// <param name="ListenPort">The UDP port it listens on; 0 before it is up with none set.</param>
public sealed record UapiDevice(string? PrivateKey, int ListenPort, IReadOnlyList<UapiPeer> Peers);

/// <param name="LastHandshake">null when the peer never completed a handshake.</param>
/// <param name="ReceivedBytes">All the bytes received from the peer since it was added; <paramref name="SentBytes"/> likewise.</param>
public sealed record UapiPeer(string PublicKey, IReadOnlyList<string> AllowedIps, DateTimeOffset? LastHandshake, long ReceivedBytes, long SentBytes);
