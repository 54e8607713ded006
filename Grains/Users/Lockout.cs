namespace OrleansWg.Grains.Users;

/// <summary>
/// The lockout rules. Per source (client address; an IPv6 /64): after too many wrong passwords in
/// a row from one address, that address is locked out of the user for a while. Per user: wrong
/// passwords from the addresses the user has not logged in from count together, so a guesser who
/// rotates addresses is stopped too; then every such address is locked out of the user for a
/// while, and the user's own addresses (those of their last successful logins) are not, so a
/// guesser cannot lock the user out of where they work. Each lock lasts twice the one before while
/// the guessing goes on. Unknown users are counted alike, so the answers do not tell whether a user exists.
/// </summary>
public static class Lockout
{
    /// <summary>Sources remembered per user; beyond it the quietest one that is not locked is forgotten.</summary>
    public const int MaxSources = 64;

    /// <summary>The user's own addresses remembered: those of their latest successful logins.</summary>
    public const int MaxTrustedSources = 8;

    private const int MaxDoublings = 6;

    /// <returns>How long <paramref name="source"/> is still locked out of the user; null: it is not.</returns>
    public static TimeSpan? RemainingLock(LoginFailures failures, string source, DateTimeOffset now)
    {
        var ownLock = failures.BySource.GetValueOrDefault(source)?.LockedUntil;
        var newSourcesLock = failures.Trusted.ContainsKey(source) ? null : failures.FromNewSources.LockedUntil;
        return new[] { ownLock, newSourcesLock }.Max() is { } until && until > now ? until - now : null;
    }

    public static void RecordFailure(LoginFailures failures, string source, DateTimeOffset now, UserOptions options)
    {
        Forget(failures, now, options.LockoutPeriod);
        if (failures.BySource.TryGetValue(source, out var entry) || MakeRoom(failures.BySource, now))
        {
            Count(entry ?? (failures.BySource[source] = new SourceFailures()), now, options.MaxFailedLogins, options.LockoutPeriod);
        }

        if (!failures.Trusted.ContainsKey(source))
        {
            Count(failures.FromNewSources, now, options.MaxFailedLoginsPerUser, options.LockoutPeriod);
        }
    }

    /// <summary>The source's failures are forgotten, and it is one of the user's own addresses from now on.</summary>
    /// <returns>true when the failures changed and need writing.</returns>
    public static bool RecordSuccess(LoginFailures failures, string source, DateTimeOffset now)
    {
        var changed = failures.BySource.Remove(source) | !failures.Trusted.ContainsKey(source);
        failures.Trusted[source] = now;
        while (failures.Trusted.Count > MaxTrustedSources)
        {
            failures.Trusted.Remove(failures.Trusted.MinBy(trusted => trusted.Value).Key);
        }

        return changed;
    }

    /// <summary>Every lock lifted and every count forgotten; the user's own addresses stay theirs.</summary>
    public static void Lift(LoginFailures failures)
    {
        failures.BySource.Clear();
        failures.FromNewSources = new SourceFailures();
    }

    public static IEnumerable<SourceLock> Locks(LoginFailures failures, DateTimeOffset now) =>
        failures.BySource.Where(f => f.Value.LockedUntil > now).Select(f => new SourceLock(f.Key, f.Value.LockedUntil!.Value));

    /// <returns>Until when every address the user has not logged in from is locked out; null: none is.</returns>
    public static DateTimeOffset? NewSourcesLockedUntil(LoginFailures failures, DateTimeOffset now) =>
        failures.FromNewSources.LockedUntil is { } until && until > now ? until : null;

    private static void Count(SourceFailures entry, DateTimeOffset now, int budget, TimeSpan period)
    {
        entry.Count++;
        entry.LastFailure = now;
        if (entry.Count >= budget)
        {
            entry.LockedUntil = now + Doubled(period, entry.Locks);
            entry.Locks++;
            entry.Count = 0;
        }
    }

    /// <summary>
    /// Forgets what has been quiet long enough. A count ends after a lockout period without a failure;
    /// the record of a source's locks, which makes its next one twice as long, only after as long
    /// again as its last lock lasted, so that guessing again as soon as a lock ends meets a longer one.
    /// </summary>
    private static void Forget(LoginFailures failures, DateTimeOffset now, TimeSpan period)
    {
        foreach (var entry in failures.BySource.Values.Append(failures.FromNewSources).Where(entry => QuietFor(entry, now) > period))
        {
            entry.Count = 0;
        }

        foreach (var (source, _) in failures.BySource.Where(f => IsForgotten(f.Value, now, period)).ToList())
        {
            failures.BySource.Remove(source);
        }

        if (IsForgotten(failures.FromNewSources, now, period))
        {
            failures.FromNewSources = new SourceFailures();
        }
    }

    /// <returns>How long since its last failure or the end of its last lock; zero while it is locked.</returns>
    private static TimeSpan QuietFor(SourceFailures entry, DateTimeOffset now) =>
        entry.LockedUntil > now ? TimeSpan.Zero : now - (entry.LockedUntil is { } until && until > entry.LastFailure ? until : entry.LastFailure);

    private static bool IsForgotten(SourceFailures entry, DateTimeOffset now, TimeSpan period) =>
        QuietFor(entry, now) > Doubled(period, entry.Locks);

    /// <returns><paramref name="period"/> doubled <paramref name="times"/> times, at most <see cref="MaxDoublings"/>.</returns>
    private static TimeSpan Doubled(TimeSpan period, int times) => period * (1 << Math.Min(times, MaxDoublings));

    /// <returns>false when every remembered source is locked: a new one is then counted for the user only.</returns>
    private static bool MakeRoom(Dictionary<string, SourceFailures> bySource, DateTimeOffset now)
    {
        if (bySource.Count < MaxSources)
        {
            return true;
        }

        var unlocked = bySource.Where(f => !(f.Value.LockedUntil > now)).ToList();
        return unlocked.Count > 0 && bySource.Remove(unlocked.MinBy(f => f.Value.LastFailure).Key);
    }
}
