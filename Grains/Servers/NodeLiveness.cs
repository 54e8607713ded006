namespace OrleansWg.Grains.Servers;

/// <summary>
/// Whether a server's node is alive, judged on the monotonic clock by the alive signals that reached
/// the server grain, at each <see cref="Check"/>. Three kinds of slowness are told apart from a death:
/// <list type="bullet">
/// <item>a server grain busy with a long call (a container start): the signals are recorded as they
/// arrive, between its other work, and so are the checks;</item>
/// <item>a silo that stood still itself (a garbage collection, a busy VM): its own check came late,
/// so the silence it saw may be its own, and the node gets its whole allowance again from then;</item>
/// <item>a node that said it is stopping (an upgrade, a restart): its containers run on, and it has
/// <see cref="PlacementOptions.NodeRestartGrace"/> to come back before it is called down.</item>
/// </list>
/// A node that sends heartbeats only (one of the version before, during an upgrade) is judged by
/// them, with that version's allowance (<see cref="HeartbeatsOnlyAllowance"/>).
/// Between checks the last judgement holds, so a call that was queued behind a stall is not answered
/// with a silence that the next check would have forgiven.
/// </summary>
public sealed class NodeLiveness(TimeProvider clock, TimeSpan downAfter, TimeSpan restartGrace, TimeSpan checkPeriod)
{
    /// <summary>How often a server checks that its node is alive, for a given NodeDownAfter: often enough to call it down within a fifth of it more.</summary>
    public static TimeSpan CheckPeriodFor(TimeSpan downAfter) =>
        TimeSpan.FromTicks(Math.Clamp(downAfter.Ticks / 5, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond));

    /// <summary>How long a node that sends no alive signals may be silent: its heartbeats come every 5 s.</summary>
    public static readonly TimeSpan HeartbeatsOnlyAllowance = TimeSpan.FromSeconds(30);

    // Counted from the grain's activation until the node is heard: a new activation knows no better.
    private long heardAt = clock.GetTimestamp();
    private long? leftAt;
    private long? checkedAt;
    private bool signals;

    /// <summary>Whether the last check called the node down.</summary>
    public bool IsDown { get; private set; }

    /// <summary>How long the node has been down, as of now; null while the last check found it alive.</summary>
    public TimeSpan? DownFor => IsDown ? Silence(clock.GetTimestamp()) - Allowance : null;

    /// <summary>The node was heard from: an alive signal or a heartbeat. Up again at once.</summary>
    /// <returns>Whether it was down.</returns>
    public bool Heard(bool aliveSignal)
    {
        var wasDown = IsDown;
        signals |= aliveSignal;
        heardAt = clock.GetTimestamp();
        leftAt = null;
        IsDown = false;
        return wasDown;
    }

    /// <summary>The node said it is stopping.</summary>
    public void Left() => leftAt = clock.GetTimestamp();

    /// <returns>true when this check called the node down, having found it alive the time before.</returns>
    public bool Check()
    {
        var now = clock.GetTimestamp();
        if (checkedAt is { } previous && clock.GetElapsedTime(previous, now) > checkPeriod * 2)
        {
            // This silo stood still: what the node sent meanwhile may still be in its queue.
            heardAt = Math.Max(heardAt, now);
        }

        checkedAt = now;
        var wasDown = IsDown;
        IsDown = Silence(now) > Allowance;
        return IsDown && !wasDown;
    }

    private TimeSpan Allowance => leftAt is not null ? restartGrace : signals ? downAfter : Max(downAfter, HeartbeatsOnlyAllowance);

    private static TimeSpan Max(TimeSpan one, TimeSpan other) => one > other ? one : other;

    private TimeSpan Silence(long now) => clock.GetElapsedTime(Math.Max(heardAt, leftAt ?? heardAt), now);
}
