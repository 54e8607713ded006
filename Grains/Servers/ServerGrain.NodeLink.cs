using Microsoft.Extensions.Logging;

namespace OrleansWg.Grains.Servers;

/// <summary>The link to the node: the desired state pushed to it, whole or one user's change, and what it reports back.</summary>
public sealed partial class ServerGrain
{
    // A push a silo rejected unsent is sent this many times in all.
    private const int MaxPushAttempts = 3;

    // A push the node did not answer (its silo route is gone, or it is stuck): further pushes would
    // wait as long, holding this grain, so connects are refused at once until the node's next heartbeat.
    private bool agentSilent;
    private Dictionary<string, ActualPeer> reported = [];

    // When the node last reported what it runs; null until it has since this activation.
    private DateTimeOffset? reportedAt;

    // The node's interfaces by user, as last reported: a grant follows a convergence, which reports them.
    private Dictionary<string, ActualContainer> interfaces = [];

    private DesiredNodeState Desired() => new(Id, [.. containers.All.Select(c => DesiredOf(c.Key, c.Value))], Revision, Server.GroupDns?.Stamp, Server.Epoch);

    private DesiredContainer DesiredOf(string user, UserContainer container) =>
        new(user, [.. container.Peers.Values.Select(p => new DesiredPeer(p.PublicKey, p.Address, BandwidthLimit.Of(p.Limit, Server.GroupLimit)))]);

    // Every push under way: AwaitNode waits for those begun before it.
    private readonly HashSet<Task<string?>> pushes = [];

    public Task AwaitNode() => Task.WhenAll(pushes.ToList());

    /// <summary>
    /// Begins a push of a change whose desired state is written already, or is being written. It goes
    /// on beside the grain's turns, which never wait on the node; a node that misses it converges on
    /// its next reconcile.
    /// </summary>
    /// <returns>The push: null once the node runs the change, else what went wrong.</returns>
    private Task<string?> Push(string? user, TimeSpan timeout)
    {
        var push = Converge(user, timeout);
        if (!push.IsCompleted)
        {
            pushes.Add(push);
            _ = push.ContinueWith(done => pushes.Remove(done), TaskScheduler.Current);
        }

        return push;
    }

    /// <summary>Begins a push of a written change whose outcome nothing waits for but <see cref="AwaitNode"/>; a failure is logged.</summary>
    private void PushWritten(string change, string? user = null)
    {
        if (IsConnected && !agentSilent)
        {
            _ = Logged(Push(user, options.Value.NodeCallTimeout));
        }

        async Task Logged(Task<string?> push)
        {
            if (await push is { } failure)
            {
                logger.LogWarning("Server {ServerId} did not converge after {Change}: {Failure}", Id, change, failure);
            }
        }
    }

    /// <summary>
    /// Pushes the desired state to the node: with a user, only that user's container, just written
    /// as one revision more (the whole state when the node does not hold the revision before).
    /// </summary>
    /// <returns>null when the node now runs <paramref name="user"/>'s container (with no user: every container) as desired, else what went wrong.</returns>
    private async Task<string?> Converge(string? user, TimeSpan timeout)
    {
        NodeActualState actual;
        try
        {
            var agent = Server.Agent!;
            var changed = user is null
                ? null
                : await Pushed(() => agent.ConvergeChange(
                    new DesiredNodeChange(Revision - 1, Revision, user, containers.Find(user) is { } container ? DesiredOf(user, container) : null, Server.Epoch)), timeout);
            actual = changed ?? await Pushed(() => agent.Converge(Desired()), timeout);
            Apply(actual, changed is null ? null : user);
        }
        catch (Exception exception)
        {
            // A rejection costs no time, so it does not stop the next connect from trying.
            agentSilent = exception is TimeoutException or ClientNotAvailableException;
            logger.LogWarning(exception, "Node of server {ServerId} failed to converge", Id);
            return $"its node failed: {exception.GetType().Name}: {exception.Message}";
        }

        return actual.Failures.FirstOrDefault(f => user is null || f.User == user) is { } failure ? $"the container of {failure.User} failed: {failure.Detail}" : null;
    }

    /// <summary>
    /// Sends a push again when a silo rejected it unsent: the gateway it went through has just died,
    /// and Orleans picks one of the node's gateways anew for each message.
    /// </summary>
    private async Task<T> Pushed<T>(Func<Task<T>> push, TimeSpan timeout)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await push().WaitAsync(timeout);
            }
            catch (OrleansMessageRejectionException exception) when (attempt < MaxPushAttempts)
            {
                logger.LogInformation("Server {ServerId} pushes again: {Reason}", Id, exception.Message);
            }
        }
    }

    /// <summary>
    /// Takes the interfaces' keys and ports, and the peers' activity, from what the node runs (of
    /// <paramref name="user"/>'s container only, when given); of a container that failed this time, what was known before stays.
    /// </summary>
    private void Apply(NodeActualState actual, string? user = null)
    {
        var failed = actual.Failures.Select(f => f.User).ToHashSet();
        if (failed.Count > 0)
        {
            logger.LogWarning("Node of server {ServerId} could not converge the containers of {Users}", Id, string.Join(", ", failed));
        }

        var kept = interfaces.Values.Where(c => failed.Contains(c.User) || (user is not null && c.User != user)).ToList();
        // Only the containers and peers the server wants are taken, so a node cannot grow the server's
        // memory with made-up ones; and a key or port that is not one goes into no client's config.
        var running = actual.Containers
            .Where(c => !failed.Contains(c.User) && WireGuardKey.IsValid(c.PublicKey) && c.ListenPort is > 0 and <= 65535)
            .Select(c => containers.Find(c.User) is { } wanted
                ? c with { Peers = [.. c.Peers.Where(p => wanted.Peers.Values.Any(peer => peer.PublicKey == p.PublicKey))] }
                : null)
            .OfType<ActualContainer>()
            .Concat(kept).ToList();
        reported = running.SelectMany(c => c.Peers).DistinctBy(p => p.PublicKey).ToDictionary(p => p.PublicKey);
        interfaces = running.ToDictionary(c => c.User);
        if (user is null)
        {
            // Only a whole report tells every peer's activity.
            reportedAt = clock.GetUtcNow();
        }
    }
}
