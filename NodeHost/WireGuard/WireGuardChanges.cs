namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// What a WireGuard interface must be told, built up change by change and then sent in the
/// backend's own form (UAPI text for wireguard-go, netlink messages for the kernel). Keys are base64.
/// </summary>
public sealed class WireGuardChanges
{
    private readonly List<WireGuardPeerChange> peers = [];

    public string? PrivateKey { get; private set; }

    public int? ListenPort { get; private set; }

    /// <summary>The peers to add, change or remove, in the order given.</summary>
    public IReadOnlyList<WireGuardPeerChange> Peers => peers;

    public bool IsEmpty => PrivateKey is null && ListenPort is null && peers.Count == 0;

    public WireGuardChanges SetPrivateKey(string privateKey)
    {
        PrivateKey = privateKey;
        return this;
    }

    public WireGuardChanges SetListenPort(int port)
    {
        ListenPort = port;
        return this;
    }

    /// <summary>Adds the peer, or gives it <paramref name="allowedIp"/> as its only allowed address.</summary>
    public WireGuardChanges Peer(string publicKey, string allowedIp)
    {
        peers.Add(new WireGuardPeerChange(publicKey, allowedIp));
        return this;
    }

    public WireGuardChanges RemovePeer(string publicKey)
    {
        peers.Add(new WireGuardPeerChange(publicKey, null));
        return this;
    }
}

/// <param name="AllowedIp">The one address (CIDR) the peer may use, replacing any it had; null to remove the peer.</param>
public sealed record WireGuardPeerChange(string PublicKey, string? AllowedIp);
