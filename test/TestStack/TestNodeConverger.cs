using System.Collections.Concurrent;
using NSec.Cryptography;
using OrleansWg.NodeHost.Convergence;

namespace OrleansWg.TestStack;

/// <summary>
/// The node side until NodeHost converges real containers: it answers as a node would, with a
/// real X25519 interface key per user container that stays the same while the container is
/// desired, and runs no container.
/// </summary>
public sealed class TestNodeConverger : INodeConverger
{
    private readonly ConcurrentDictionary<string, string> interfaceKeys = new();
    private readonly ConcurrentDictionary<string, int> ports = new();

    public Task<NodeActualState> Converge(DesiredNodeState desired, CancellationToken cancellationToken)
    {
        foreach (var gone in interfaceKeys.Keys.Except(desired.Containers.Select(c => c.User)))
        {
            interfaceKeys.TryRemove(gone, out _);
            ports.TryRemove(gone, out _);
        }

        return Task.FromResult(new NodeActualState([.. desired.Containers.Select(c =>
            new ActualContainer(c.User, ports.GetOrAdd(c.User, _ => 51000 + ports.Count), interfaceKeys.GetOrAdd(c.User, _ => NewPublicKey())))]));
    }

    private static string NewPublicKey()
    {
        using var key = Key.Create(KeyAgreementAlgorithm.X25519);
        return Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }
}
