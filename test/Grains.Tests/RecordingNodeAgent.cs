using System.Collections.Concurrent;
using System.Reflection;

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

    /// <summary>How long each convergence takes before it answers: longer than a node call may take makes the server time out.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>How many pushes from now on fail unsent, as they do through a gateway silo that has just died.</summary>
    public int RejectNext { get; set; }

    /// <summary>Users whose containers the node reports as failed, as a node with one broken container does.</summary>
    public HashSet<string> FailingUsers { get; } = [];

    public ImmutableArray<DesiredPeer> PeersOf(string user) =>
        Last?.Containers.FirstOrDefault(c => c.User == user)?.Peers ?? [];

    public string InterfaceKeyOf(string user) => interfaceKeys[user];

    /// <summary>Pushes of one user's change that found the revision they were on, and were applied.</summary>
    public int ChangesApplied { get; private set; }

    public async Task<NodeActualState> Converge(DesiredNodeState desired)
    {
        await Converging();
        Last = desired;
        return ActualOf(desired.Containers);
    }

    public async Task<NodeActualState?> ConvergeChange(DesiredNodeChange change)
    {
        await Converging();
        if (change.ApplyTo(Last) is not { } changed)
        {
            return null;
        }

        Last = changed;
        ChangesApplied++;
        return ActualOf(changed.Containers.Where(c => c.User == change.User));
    }

    private async Task Converging()
    {
        Convergences++;
        if (RejectNext > 0)
        {
            RejectNext--;
            // Orleans makes this exception only itself.
            throw (Exception)Activator.CreateInstance(typeof(OrleansMessageRejectionException), BindingFlags.NonPublic | BindingFlags.Instance, null,
                ["Exception while sending message: the gateway it went through died"], null)!;
        }

        await Task.Delay(Delay);
        if (FailWith is { } failure)
        {
            throw new InvalidOperationException(failure);
        }
    }

    private NodeActualState ActualOf(IEnumerable<DesiredContainer> containers) => new(
        [.. containers.Where(c => !FailingUsers.Contains(c.User)).Select(c => new ActualContainer(c.User, ports.GetOrAdd(c.User, _ => 51000 + ports.Count),
            interfaceKeys.GetOrAdd(c.User, _ => WireGuardKey.CreatePair().PublicKey), []))],
        [.. containers.Where(c => FailingUsers.Contains(c.User)).Select(c => new ContainerFailure(c.User, "its interface did not answer"))]);
}
