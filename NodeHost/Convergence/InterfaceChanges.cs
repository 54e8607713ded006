using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// What an interface must be told so that it holds a private key, listens on its port
/// and has exactly the desired peers, each with its one allowed address. What it has already is not
/// set again, so an interface as desired is told nothing.
/// </summary>
public static class InterfaceChanges
{
    /// <param name="state">What the interface says of itself.</param>
    /// <param name="wanted">The desired peers, by public key.</param>
    /// <param name="listenPort">The port it must listen on, in its own namespace.</param>
    public static WireGuardChanges For(WireGuardDevice state, string privateKey, int listenPort, IReadOnlyDictionary<string, DesiredPeer> wanted)
    {
        var changes = new WireGuardChanges();
        // The kernel shows the key clamped (WireGuardKey.Clamped); a key file may hold it unclamped.
        if (state.PrivateKey is null || WireGuardKey.Clamped(state.PrivateKey) != WireGuardKey.Clamped(privateKey))
        {
            changes.SetPrivateKey(privateKey);
        }

        // The port is set before the interface comes up; setting it again while it comes up
        // makes wireguard-go close and open the same port at once, which it may refuse (port in use).
        if (state.ListenPort != listenPort)
        {
            changes.SetListenPort(listenPort);
        }

        foreach (var present in state.Peers.Where(peer => !wanted.ContainsKey(peer.PublicKey)))
        {
            changes.RemovePeer(present.PublicKey);
        }

        var current = state.Peers.ToDictionary(peer => peer.PublicKey);
        foreach (var peer in wanted.Values)
        {
            if (!current.TryGetValue(peer.PublicKey, out var present) || !present.AllowedIps.SequenceEqual([peer.AllowedIp]))
            {
                changes.Peer(peer.PublicKey, peer.AllowedIp);
            }
        }

        return changes;
    }
}
