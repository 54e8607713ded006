using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// Turns the desired state into running containers: removes what is not desired (including
/// strays that carry this node's label), gives each desired user with peers a container (a warm
/// one when there is one) and keeps a lingering one without peers while it is desired, starts a
/// user's stopped container again, and sets each interface's peers. A push of one user's change (a
/// connect or a disconnect) looks at that user's container alone and reports the others as the
/// last convergence left them, so its cost does not grow with the node's other users; a push of
/// the whole state leaves alone the interfaces whose desired peers it set last time; a heartbeat's
/// reconcile reads Docker before it takes the lock and every interface under it, a slice of users at
/// a time between which pushes take the lock. One
/// user's container that fails (Docker refuses, its interface does not answer, its limits cannot be
/// set) is reported as that user's failure; the others converge all the same.
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
    // A convergence that lets others take the lock goes on after this many users: some 70 ms of interfaces at 1,000 containers.
    private const int SliceOfUsers = 64;

    // What each user's interface was last set to, and what it ran then. A change pushed on top of the
    // node's desired state leaves the other users' desired containers as they were, the same objects.
    private readonly Dictionary<string, Applied> applied = [];

    // The users whose containers failed in the convergence that last looked at them.
    private readonly Dictionary<string, ContainerFailure> failures = [];

    // Users' containers seen stopped, by id, and since when: one being restarted is Docker's to finish.
    private readonly Dictionary<string, DateTimeOffset> stoppedSince = [];

    public Task<ContainerReading> ReadAsync(CancellationToken cancellationToken) => containers.ReadAsync(cancellationToken);

    public async Task<NodeActualState> Converge(
        DesiredNodeState desired, ContainerReading? reading, string? changedUser, Func<Task<DesiredNodeState>>? yieldTurn, CancellationToken cancellationToken)
    {
        var reconcile = reading is not null;
        var present = await containers.ListAsync(reading, cancellationToken);
        var scope = new ConvergenceScope(changedUser);
        foreach (var extra in scope.Extra(present, scope.WantedUsers(desired)))
        {
            await containers.RemoveAsync(extra, cancellationToken);
            present.Remove(extra);
        }

        if (changedUser is null)
        {
            failures.Clear();
        }
        else
        {
            failures.Remove(changedUser);
        }

        var converged = new HashSet<string>();
        while (desired.Containers.Where(container => scope.Covers(container.User) && !converged.Contains(container.User))
            .Take(yieldTurn is null ? int.MaxValue : SliceOfUsers).ToList() is { Count: > 0 } slice)
        {
            // By user: a push must not cost the square of the node's containers.
            var byUser = present.Where(c => c.User is not null && scope.Covers(c.User))
                .GroupBy(c => c.User!).ToDictionary(g => g.Key, g => g.First());
            foreach (var want in slice)
            {
                converged.Add(want.User);
                try
                {
                    await ConvergeAsync(want, byUser.GetValueOrDefault(want.User), present, reconcile, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning(exception, "Could not converge the container of {User}", want.User);
                    failures[want.User] = new ContainerFailure(want.User, $"{exception.GetType().Name}: {exception.Message}");
                }
            }

            if (yieldTurn is null)
            {
                break;
            }

            // Pushes converged in between changed the containers and the desired state; what is left is converged to the newest.
            desired = await yieldTurn();
            present = await containers.ListAsync(reading: null, cancellationToken);
        }

        var wanted = scope.WantedUsers(desired);
        IEnumerable<string> looked = changedUser is null ? applied.Keys : [changedUser];
        foreach (var gone in looked.Where(user => !wanted.Contains(user)).ToList())
        {
            applied.Remove(gone);
        }

        if (changedUser is null)
        {
            foreach (var started in stoppedSince.Keys.Except(present.Where(c => !c.Running).Select(c => c.Id)).ToList())
            {
                stoppedSince.Remove(started);
            }

            // A change leaves the peers it removed to the next whole convergence: a new session's peer has a key of its own.
            traffic.KeepOnly(applied.Values.SelectMany(last => last.Actual.Peers.Select(peer => (last.Socket, peer.PublicKey))));
        }

        warmPool.RequestRefill();
        return new NodeActualState([.. applied.Values.Select(last => last.Actual)], [.. failures.Values]);
    }

    /// <summary>
    /// Gives <paramref name="want"/>'s user a running container with the desired peers, unless the
    /// interface was set to these peers last time and still runs; a lingering container that is gone stays gone.
    /// </summary>
    private async Task ConvergeAsync(DesiredContainer want, SessionContainer? container, List<SessionContainer> present, bool reconcile, CancellationToken cancellationToken)
    {
        if (container is null && want.Peers.IsEmpty)
        {
            // A lingering container that is gone (the node restarted without it) is not worth a start.
            applied.Remove(want.User);
            return;
        }

        if (!reconcile && container is { Running: true } && applied.TryGetValue(want.User, out var last)
            && (ReferenceEquals(last.Desired, want) || last.Peers.SetEquals(want.Peers)))
        {
            return;
        }

        applied.Remove(want.User);
        container = container switch
        {
            null => await ProvideAsync(want.User, present, cancellationToken),
            { Running: false, Starting: false } when StoppedLongEnough(container) => await containers.StartAgainAsync(container, cancellationToken),
            { Running: false, Starting: false } => throw new InvalidOperationException("its container is stopped; it is started again if it stays so"),
            _ => container,
        };
        var (publicKey, running, restored) = await InterfaceSync.ApplyAsync(
            containers.Interface(container), ContainerRecords.KeyFile(container.UapiDirectory), containers.ListenPort(container), want.Peers, traffic, cancellationToken);
        if (restored)
        {
            // Docker may have started it again by itself, with a new shim in containerd's cgroup.
            await containers.LowerShimAsync(container, cancellationToken);
            await ConnectionTracking.ForgetAsync(container.Port, logger);
        }

        await shaping.ApplyAsync(container, want.Peers, restored, cancellationToken);
        applied[want.User] = new Applied(want, [.. want.Peers], container.UapiSocket, new ActualContainer(want.User, container.Port, publicKey, running));
    }

    private bool StoppedLongEnough(SessionContainer container)
    {
        var now = clock.GetUtcNow();
        return now - (stoppedSince.TryAdd(container.Id, now) ? now : stoppedSince[container.Id]) >= options.Value.StoppedContainerGrace;
    }

    private async Task<SessionContainer> ProvideAsync(string user, List<SessionContainer> present, CancellationToken cancellationToken)
    {
        SessionContainer container;
        if (await warmPool.TakeAsync(cancellationToken) is { } warm)
        {
            present.RemoveAll(c => c.Id == warm.Id);
            container = await containers.ClaimAsync(warm, user, cancellationToken);
        }
        else
        {
            container = await containers.StartAsync(user, containers.FreePort(), cancellationToken);
        }

        present.Add(container);
        return container;
    }

    private sealed record Applied(DesiredContainer Desired, ImmutableHashSet<DesiredPeer> Peers, string Socket, ActualContainer Actual);
}
