namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// Keeps a node from going back in time: of the desired states it is handed, it applies the
/// newest it has seen. A heartbeat fetches the desired state and converges later, so a push for
/// a newer revision can be applied in between; applied after it, the heartbeat's older state
/// would remove the new peer until the next heartbeat. Revisions are compared within an epoch (one
/// activation of the server grain, each later than the one before): a state of a later epoch is
/// taken whatever its revision, so a restored database's older revisions are applied, not ignored,
/// and one of an earlier epoch never is. Not thread-safe: used under the convergence lock.
/// </summary>
public sealed class DesiredStateGate
{
    private DesiredNodeState? newest;

    /// <returns><paramref name="offered"/>, or a newer state of its epoch already applied.</returns>
    public DesiredNodeState Newest(DesiredNodeState offered)
    {
        if (newest is null || offered.Epoch > newest.Epoch || (offered.Epoch == newest.Epoch && offered.Revision >= newest.Revision))
        {
            newest = offered;
        }

        return newest;
    }

    /// <returns>The newest state with <paramref name="change"/> applied; null when the change is on a revision this node does not hold.</returns>
    public DesiredNodeState? Newest(DesiredNodeChange change) => change.ApplyTo(newest) is { } changed ? newest = changed : null;
}
