using System.Collections.Concurrent;

namespace OrleansWg.Grains.Tests;

/// <summary>
/// Stands in for a node in grain unit tests: keeps the last desired state it was given and
/// answers with a real X25519 interface key and a port from 51000 up per user, or fails when told to.
/// </summary>
public sealed class RecordingNodeAgent : INodeAgent
{
    private readonly ConcurrentDictionary<string, string> interfaceKeys = new();
    private readonly ConcurrentDictionary<string, int> ports = new();

    public DesiredNodeState? Last { get; private set; }

    public int Convergences { get; private set; }

    public string? FailWith { get; set; }

    public ImmutableArray<DesiredPeer> PeersOf(string user) =>
        Last?.Containers.FirstOrDefault(c => c.User == user)?.Peers ?? [];

    public string InterfaceKeyOf(string user) => interfaceKeys[user];

    public Task<NodeActualState> Converge(DesiredNodeState desired)
    {
        Convergences++;
        if (FailWith is { } failure)
        {
            throw new InvalidOperationException(failure);
        }

        Last = desired;
        return Task.FromResult(new NodeActualState([.. desired.Containers.Select(c =>
            new ActualContainer(c.User, ports.GetOrAdd(c.User, _ => 51000 + ports.Count), interfaceKeys.GetOrAdd(c.User, _ => WireGuardKey.CreatePair().PublicKey), []))]));
    }
}
