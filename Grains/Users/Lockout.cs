namespace OrleansWg.Grains.Users;

/// <summary>
/// The lockout rule, per user and source: after too many wrong passwords in a row from one
/// address that address is locked out of that user for a while, twice as long each time it
/// happens again. Others, the user's own usual addresses among them, are not: a guesser
/// cannot lock a victim out. Unknown users are counted alike, so the answers do not tell
/// whether a user exists.
/// </summary>
public static class Lockout
{
    /// <summary>Sources remembered per user; beyond it the quietest is forgotten.</summary>
    public const int MaxSources = 64;

    private const int MaxDoublings = 6;

    public static TimeSpan? RemainingLock(Dictionary<string, SourceFailures> failures, string source, DateTimeOffset now) =>
        failures.GetValueOrDefault(source)?.LockedUntil is { } until && until > now ? until - now : null;

    public static void RecordFailure(Dictionary<string, SourceFailures> failures, string source, DateTimeOffset now, UserOptions options)
    {
        Forget(failures, now, options);
        var entry = failures.TryGetValue(source, out var known) ? known : failures[source] = new SourceFailures();
        entry.Count++;
        entry.LastFailure = now;
        if (entry.Count >= options.MaxFailedLogins)
        {
            entry.LockedUntil = now + options.LockoutPeriod * (1 << Math.Min(entry.Locks, MaxDoublings));
            entry.Locks++;
            entry.Count = 0;
        }

        while (failures.Count > MaxSources)
        {
            failures.Remove(failures.MinBy(f => f.Value.LastFailure).Key);
        }
    }

    /// <returns>true when the failures changed and need writing.</returns>
    public static bool RecordSuccess(Dictionary<string, SourceFailures> failures, string source) => failures.Remove(source);

    public static IEnumerable<SourceLock> Locks(Dictionary<string, SourceFailures> failures, DateTimeOffset now) =>
        failures.Where(f => f.Value.LockedUntil > now).Select(f => new SourceLock(f.Key, f.Value.LockedUntil!.Value));

    /// <summary>Drops sources whose lock is over and that have been quiet for a lockout period: they start afresh.</summary>
    private static void Forget(Dictionary<string, SourceFailures> failures, DateTimeOffset now, UserOptions options)
    {
        foreach (var (source, entry) in failures.Where(f => !(f.Value.LockedUntil > now) && now - f.Value.LastFailure > options.LockoutPeriod).ToList())
        {
            failures.Remove(source);
        }
    }
}
