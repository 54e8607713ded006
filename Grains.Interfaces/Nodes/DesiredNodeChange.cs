namespace OrleansWg;

/// <summary>
/// One user's container as it is now desired, on top of the desired state of <paramref name="BaseRevision"/>:
/// what a connect or a disconnect pushes, so that its size does not grow with the node's other users.
/// </summary>
/// <param name="Container">null: the user has no container any more.</param>
/// <param name="Epoch">The <see cref="DesiredNodeState.Epoch"/> of the state it changes.</param>
[GenerateSerializer, Immutable, Alias("owg.DesiredNodeChange")]
public sealed record DesiredNodeChange(long BaseRevision, long Revision, string User, DesiredContainer? Container, long Epoch = 0)
{
    /// <returns>
    /// <paramref name="held"/> with this change, or <paramref name="held"/> itself when it is this
    /// revision or newer (or of a later epoch); null when it is another revision or an earlier epoch
    /// (the node missed one, or has none) and the whole state is wanted.
    /// </returns>
    public DesiredNodeState? ApplyTo(DesiredNodeState? held)
    {
        if (held is null || held.Epoch < Epoch || (held.Epoch == Epoch && held.Revision < Revision && held.Revision != BaseRevision))
        {
            return null;
        }

        if (held.Epoch > Epoch || held.Revision >= Revision)
        {
            return held;
        }

        var index = Enumerable.Range(0, held.Containers.Length).FirstOrDefault(i => held.Containers[i].User == User, -1);
        var containers = Container switch
        {
            null when index < 0 => held.Containers,
            null => held.Containers.RemoveAt(index),
            { } added when index < 0 => held.Containers.Add(added),
            { } changed => held.Containers.SetItem(index, changed),
        };
        return held with { Containers = containers, Revision = Revision };
    }
}
