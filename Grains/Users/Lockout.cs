namespace OrleansWg.Grains.Users;

/// <summary>The lockout rule: after too many wrong passwords in a row a user is locked for a while.</summary>
public static class Lockout
{
    public static TimeSpan? RemainingLock(UserState state, DateTimeOffset now) =>
        state.LockedUntil is { } until && until > now ? until - now : null;

    public static void RecordFailure(UserState state, DateTimeOffset now, UserOptions options)
    {
        state.FailedLogins++;
        if (state.FailedLogins >= options.MaxFailedLogins)
        {
            state.LockedUntil = now + options.LockoutPeriod;
            state.FailedLogins = 0;
        }
    }

    /// <returns>true when the state changed and needs writing.</returns>
    public static bool RecordSuccess(UserState state)
    {
        var changed = state.FailedLogins != 0 || state.LockedUntil is not null;
        state.FailedLogins = 0;
        state.LockedUntil = null;
        return changed;
    }
}
