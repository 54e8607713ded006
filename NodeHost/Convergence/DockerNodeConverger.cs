using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// Turns the desired state into running containers: removes what is not desired (including
/// strays that carry this node's label), gives each desired user with peers a container (a warm
/// one when there is one) and keeps a lingering one without peers while it is desired, starts a user's stopped container again, and sets each interface's peers. A
/// push (a connect or a disconnect) leaves alone the interfaces whose desired peers it set last
/// time and reports them as they were then, so its cost does not grow with the node's other users;
/// a heartbeat's reconcile reads them all. One user's container that fails (Docker refuses, its
/// interface does not answer, its limits cannot be set) is reported as that user's failure; the others converge all the same.
/// </summary>
public sealed class DockerNodeConverger(
    SessionContainers containers,
    WarmPool warmPool,
    TrafficShaping shaping,
    PeerTraffic traffic,
    IOptions<NodeOptions> options,
    TimeProvider clock,
    ILogger<DockerNodeConverger> logger) : INodeConverger
{
    // What each user's interface was last set to, and what it ran then. A change pushed on top of the
    // node's desired state leaves the other users' desired containers as they were, the same objects.
    private readonly Dictionary<string, (DesiredContainer Desired, ImmutableHashSet<DesiredPeer> Peers, ActualContainer Actual)> applied = [];

    // Users' containers seen stopped, by id, and since when: one being restarted is Docker's to finish.
    private readonly Dictionary<string, DateTimeOffset> stoppedSince = [];

    public async Task<NodeActualState> Converge(DesiredNodeState desired, bool reconcile, CancellationToken cancellationToken)
    {
        var present = await containers.ListAsync(reconcile, cancellationToken);
        var wanted = desired.Containers.Select(container => container.User).ToHashSet();
        foreach (var extra in present.Where(c => !c.Starting && (c.Lost || (c.IsWarm ? !c.Running : !(c.User is { } user && wanted.Contains(user))))).ToList())
        {
            await containers.RemoveAsync(extra, cancellationToken);
            present.Remove(extra);
        }

        // By user: a push must not cost the square of the node's containers.
        var byUser = present.Where(c => c.User is not null).GroupBy(c => c.User!).ToDictionary(g => g.Key, g => g.First());
        var actual = new List<ActualContainer>();
        var watched = new List<(string, string)>();
        var failures = new List<ContainerFailure>();
        foreach (var want in desired.Containers)
        {
            try
            {
                var container = byUser.GetValueOrDefault(want.User);
                if (container is null && want.Peers.IsEmpty)
                {
                    // A lingering container that is gone (the node restarted without it) is not worth a start.
                    continue;
                }

                if (reconcile || container is not { Running: true } || !applied.TryGetValue(want.User, out var last)
                    || !(ReferenceEquals(last.Desired, want) || last.Peers.SetEquals(want.Peers)))
                {
                    applied.Remove(want.User);
                    container = container switch
                    {
                        null => await ProvideAsync(want.User, present, cancellationToken),
                        { Running: false, Starting: false } when StoppedLongEnough(container) => await containers.StartAgainAsync(container, cancellationToken),
                        { Running: false, Starting: false } => throw new InvalidOperationException("its container is stopped; it is started again if it stays so"),
                        _ => container,
                    };
                    var (publicKey, running, restored) = await InterfaceSync.ApplyAsync(
                        containers.Interface(container), ContainerRecords.KeyFile(container.UapiDirectory), want.Peers, traffic, cancellationToken);
                    if (restored)
                    {
                        await ConnectionTracking.ForgetAsync(container.Port, logger);
                    }

                    await shaping.ApplyAsync(container, want.Peers, restored, cancellationToken);

                    last = applied[want.User] = (want, [.. want.Peers], new ActualContainer(want.User, container.Port, publicKey, running));
                }

                actual.Add(last.Actual);
                watched.AddRange(last.Actual.Peers.Select(peer => (container.UapiSocket, peer.PublicKey)));
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Could not converge the container of {User}", want.User);
                failures.Add(new ContainerFailure(want.User, $"{exception.GetType().Name}: {exception.Message}"));
            }
        }

        foreach (var gone in applied.Keys.Except(wanted).ToList())
        {
            applied.Remove(gone);
        }

        foreach (var started in stoppedSince.Keys.Except(present.Where(c => !c.Running).Select(c => c.Id)).ToList())
        {
            stoppedSince.Remove(started);
        }

        traffic.KeepOnly(watched);
        warmPool.RequestRefill();
        return new NodeActualState([.. actual], [.. failures]);
    }

    private bool StoppedLongEnough(SessionContainer container)
    {
        var now = clock.GetUtcNow();
        return now - (stoppedSince.TryAdd(container.Id, now) ? now : stoppedSince[container.Id]) >= options.Value.StoppedContainerGrace;
    }

    private async Task<SessionContainer> ProvideAsync(string user, List<SessionContainer> present, CancellationToken cancellationToken)
    {
        SessionContainer container;
        if (await warmPool.TakeAsync(present) is { } warm)
        {
            present.RemoveAll(c => c.Id == warm.Id);
            container = await containers.ClaimAsync(warm, user, cancellationToken);
        }
        else
        {
            container = await containers.StartAsync(user, containers.FreePort(present), cancellationToken);
        }

        present.Add(container);
        return container;
    }
}
