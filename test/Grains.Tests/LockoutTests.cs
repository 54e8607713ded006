using OrleansWg.Grains.Users;

namespace OrleansWg.Grains.Tests;

public sealed class LockoutTests
{
    private static readonly UserOptions Options = new() { MaxFailedLogins = 5, MaxFailedLoginsPerUser = 20, LockoutPeriod = TimeSpan.FromMinutes(15) };
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private const string Home = "198.18.1.1";

    private static string Prefix(int i) => $"2001:2:0:{i:x}::/64";

    [Fact]
    public void A_guesser_rotating_ipv6_prefixes_locks_every_new_address_out_of_the_user_and_not_the_users_own()
    {
        var failures = new LoginFailures();
        Lockout.RecordSuccess(failures, Home, Start);

        for (var i = 0; i < Options.MaxFailedLoginsPerUser; i++)
        {
            Assert.Null(Lockout.RemainingLock(failures, Prefix(i), Start));
            Lockout.RecordFailure(failures, Prefix(i), Start, Options);
        }

        Assert.Equal(Options.LockoutPeriod, Lockout.RemainingLock(failures, Prefix(1000), Start));
        Assert.Null(Lockout.RemainingLock(failures, Home, Start));
        Assert.Equal(Start + Options.LockoutPeriod, Lockout.NewSourcesLockedUntil(failures, Start));
    }

    [Fact]
    public void More_than_64_addresses_never_push_a_locked_one_out_and_are_counted_for_the_user_beyond_that()
    {
        var failures = new LoginFailures();
        var many = new UserOptions { MaxFailedLogins = 5, MaxFailedLoginsPerUser = 10_000, LockoutPeriod = Options.LockoutPeriod };
        var now = Start;
        for (var i = 0; i < Lockout.MaxSources * 5; i++, now += TimeSpan.FromSeconds(1))
        {
            Lockout.RecordFailure(failures, Prefix(i / 5), now, many);
        }

        for (var i = 0; i < 500; i++, now += TimeSpan.FromSeconds(1))
        {
            Lockout.RecordFailure(failures, Prefix(1000 + i), now, many);
        }

        Assert.Equal(Lockout.MaxSources, failures.BySource.Count);
        Assert.All(Enumerable.Range(0, Lockout.MaxSources), i => Assert.NotNull(Lockout.RemainingLock(failures, Prefix(i), now)));
        Assert.Equal((Lockout.MaxSources * 5) + 500, failures.FromNewSources.Count);
    }

    [Fact]
    public void A_lock_that_follows_soon_after_the_last_lasts_twice_as_long_and_a_long_quiet_starts_afresh()
    {
        var failures = new LoginFailures();
        const string Guesser = "198.18.9.9";
        void FiveWrong(DateTimeOffset at)
        {
            for (var i = 0; i < Options.MaxFailedLogins; i++)
            {
                Lockout.RecordFailure(failures, Guesser, at, Options);
            }
        }

        FiveWrong(Start);
        var first = Lockout.RemainingLock(failures, Guesser, Start);
        var secondAt = Start + first!.Value + TimeSpan.FromSeconds(1);
        FiveWrong(secondAt);
        var second = Lockout.RemainingLock(failures, Guesser, secondAt);
        var muchLater = secondAt + second!.Value + (Options.LockoutPeriod * 4) + TimeSpan.FromSeconds(1);
        FiveWrong(muchLater);

        Assert.Equal(Options.LockoutPeriod, first);
        Assert.Equal(Options.LockoutPeriod * 2, second);
        Assert.Equal(Options.LockoutPeriod, Lockout.RemainingLock(failures, Guesser, muchLater));
    }

    [Fact]
    public void A_users_own_addresses_are_the_latest_eight_it_logged_in_from_and_a_lift_keeps_them()
    {
        var failures = new LoginFailures();
        for (var i = 0; i < 10; i++)
        {
            Lockout.RecordSuccess(failures, $"198.18.1.{i}", Start + TimeSpan.FromMinutes(i));
        }

        for (var i = 0; i < Options.MaxFailedLoginsPerUser; i++)
        {
            Lockout.RecordFailure(failures, Prefix(i), Start, Options);
        }

        Lockout.Lift(failures);

        Assert.Equal(Enumerable.Range(2, 8).Select(i => $"198.18.1.{i}").Order(), failures.Trusted.Keys.Order());
        Assert.Null(Lockout.RemainingLock(failures, Prefix(100), Start));
    }
}
