using System.Collections.Immutable;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>Makes a container's interface hold exactly the desired peers.</summary>
public static class InterfaceSync
{
    /// <summary>
    /// Gives an interface without a key the one kept in <paramref name="keyFile"/> (a restarted
    /// container), or a new one made here and kept there; then sets its peers. The key is never
    /// sent anywhere.
    /// </summary>
    /// <returns>
    /// The interface's public key, its desired peers' activity as it was, and whether it came back
    /// with no key, the one it had given back to it (its container restarted).
    /// </returns>
    public static async Task<(string PublicKey, ImmutableArray<ActualPeer> Peers, bool Restored)> ApplyAsync(
        IContainerInterface device, string keyFile, int listenPort, IEnumerable<DesiredPeer> peers, PeerTraffic traffic, CancellationToken cancellationToken)
    {
        var state = await device.GetAsync(cancellationToken);
        var privateKey = state.PrivateKey;
        var restored = false;
        if (privateKey is null)
        {
            privateKey = InterfaceKeyFile.Read(keyFile);
            restored = privateKey is not null;
            if (privateKey is null)
            {
                privateKey = WireGuardKey.CreatePair().PrivateKey;
                InterfaceKeyFile.Write(keyFile, privateKey);
            }
        }

        var wanted = peers.DistinctBy(peer => peer.PublicKey).ToDictionary(peer => peer.PublicKey);
        var changes = InterfaceChanges.For(state, privateKey, listenPort, wanted);
        if (!changes.IsEmpty)
        {
            await device.SetAsync(changes, cancellationToken);
        }

        return (WireGuardKey.PublicKeyOf(privateKey),
            [.. state.Peers.Where(peer => wanted.ContainsKey(peer.PublicKey)).Select(peer => new ActualPeer(
                peer.PublicKey, peer.LastHandshake, traffic.LastReceive(device.Name, peer.PublicKey, peer.ReceivedBytes),
                peer.ReceivedBytes, peer.SentBytes))],
            restored);
    }
}
