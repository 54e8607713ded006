namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// How many warm containers may start side by side. dockerd starts fewer a second as the node
/// fills (each start's network and firewall work grows with the containers there), so a fixed
/// number in flight that ends in seconds on an empty node queues a start past Node:DockerTimeout on
/// a full one, and the new user waiting on it is refused. The window grows by one with each start
/// that ends within <paramref name="target"/> and halves when one takes longer, once for the starts
/// that were in flight together, as TCP's congestion window does. Not thread-safe: used under the convergence lock.
/// </summary>
public sealed class StartWindow(int least, int most, TimeSpan target)
{
    private readonly int mostAllowed = most;
    private long begun;

    // The newest start begun when the window last halved: the slow ones begun before it were in flight with the one that halved it.
    private long halvedAfter;

    public int Allowed { get; private set; } = most;

    /// <returns>The start's number, to hand back to <see cref="Ended"/>.</returns>
    public long Begin() => ++begun;

    /// <returns>true when this start halved the window.</returns>
    public bool Ended(long start, TimeSpan took)
    {
        if (took <= target)
        {
            Allowed = Math.Min(mostAllowed, Allowed + 1);
            return false;
        }

        if (start <= halvedAfter)
        {
            return false;
        }

        Allowed = Math.Max(least, Allowed / 2);
        halvedAfter = begun;
        return true;
    }
}
