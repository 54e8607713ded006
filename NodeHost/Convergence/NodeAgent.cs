using System.Diagnostics;
using OrleansWg.NodeHost.Dns;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// The observer the server grain pushes desired state to, and the heartbeat's way to converge.
/// What fails as a whole leaves as our own <see cref="NodeFaultException"/> (Docker's exceptions
/// have no codec and would reach the grain as a codec error), logged here where it happened.
/// </summary>
public sealed class NodeAgent(
    INodeConverger converger, ConvergenceLock convergenceLock, DesiredStateGate gate, ConvergenceMetrics metrics, NodeResolver resolver,
    IHostApplicationLifetime lifetime, ILogger<NodeAgent> logger) : INodeAgent
{
    /// <summary>What the node ran after its latest convergence, push or reconcile; null before the first.</summary>
    public NodeActualState? LastActual { get; private set; }

    /// <summary>A push of the whole desired state from the server grain.</summary>
    public async Task<NodeActualState> Converge(DesiredNodeState desired)
    {
        resolver.Want(desired.DnsStamp);
        return (await ConvergeAsync(() => gate.Newest(desired), desired.Revision, ConvergenceKind.Whole))!;
    }

    /// <summary>A push of one user's change, on the hot path of a connect: answered with that user's container only.</summary>
    public async Task<NodeActualState?> ConvergeChange(DesiredNodeChange change) =>
        (await ConvergeAsync(() => gate.Newest(change), change.Revision, ConvergenceKind.Change, change.User))?.Of(change.User);

    /// <summary>
    /// The heartbeat's convergence, which also finds what changed behind the node's back. It reads
    /// Docker before it takes the lock and every interface under it (a second at 1,000 containers),
    /// so it lets pushes go first between slices of users.
    /// </summary>
    public Task<NodeActualState?> ReconcileAsync(DesiredNodeState desired) => ConvergeAsync(() => gate.Newest(desired), desired.Revision, ConvergenceKind.Reconcile,
        yieldTurn: async () =>
        {
            await convergenceLock.YieldAsync();
            return gate.Newest(desired);
        });

    /// <param name="newest">What to converge to, chosen under the lock; null: nothing (the change does not apply).</param>
    /// <param name="changedUser">The one user a change is of; null: every user.</param>
    private async Task<NodeActualState?> ConvergeAsync(
        Func<DesiredNodeState?> newest, long revision, ConvergenceKind kind, string? changedUser = null, Func<Task<DesiredNodeState>>? yieldTurn = null)
    {
        using var span = Telemetry.Spans.StartActivity($"converge {kind}".ToLowerInvariant());
        var stopping = lifetime.ApplicationStopping;
        var arrived = Stopwatch.GetTimestamp();
        var waited = TimeSpan.Zero;
        try
        {
            var reading = kind == ConvergenceKind.Reconcile ? await converger.ReadAsync(stopping) : null;
            var read = Stopwatch.GetTimestamp();
            return await convergenceLock.RunAsync(async () =>
            {
                waited = Stopwatch.GetElapsedTime(read);
                span?.SetTag("owg.lock_wait_ms", waited.TotalMilliseconds);
                return newest() is { } desired ? LastActual = await converger.Converge(desired, reading, changedUser, yieldTurn, stopping) : null;
            }, stopping);
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The node could not converge to revision {Revision}", revision);
            throw new NodeFaultException($"the node could not converge: {exception.GetType().Name}: {exception.Message}");
        }
        finally
        {
            metrics.Record(kind, waited, Stopwatch.GetElapsedTime(arrived));
        }
    }
}
