using OrleansWg.NodeHost.Docker;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// What one convergence looks at: the whole node, or the containers of the one user whose change
/// was pushed. A change of one user leaves the others' containers as the last convergence left
/// them, so its cost does not grow with them; warm containers and strays, which are no user's, are
/// left to the convergences of the whole node.
/// </summary>
/// <param name="ChangedUser">The user whose change was pushed; null: the whole node.</param>
public sealed record ConvergenceScope(string? ChangedUser)
{
    public bool Covers(string? user) => ChangedUser is null || user == ChangedUser;

    /// <summary>The users in scope whom <paramref name="desired"/> gives a container.</summary>
    public HashSet<string> WantedUsers(DesiredNodeState desired) =>
        [.. desired.Containers.Where(container => Covers(container.User)).Select(container => container.User)];

    /// <summary>
    /// The containers in scope to remove. One being started is its bring-up's to finish or remove.
    /// Any other goes when the node cannot reach its interface (its host directory is lost); a warm
    /// one when it stopped; and one of no user in <paramref name="wantedUsers"/>, a stray included.
    /// </summary>
    public List<SessionContainer> Extra(IEnumerable<SessionContainer> present, IReadOnlySet<string> wantedUsers) =>
        [.. present.Where(c => Covers(c.User)
            && !c.Starting && (c.Lost || (c.IsWarm ? !c.Running : !(c.User is { } user && wantedUsers.Contains(user)))))];
}
