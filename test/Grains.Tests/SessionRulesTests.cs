using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Tests;

public sealed class SessionRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly SessionOptions Options = new() { CheckPeriod = TimeSpan.FromMinutes(1), MaxLifetime = TimeSpan.FromHours(24) };

    private static SessionState Session(SessionStatus status) =>
        new() { User = "alice", Status = status, CreatedAt = Start, ExpiresAt = Start + Options.MaxLifetime };

    [Fact]
    public void An_active_session_within_its_lifetime_stays_open() =>
        Assert.Null(SessionRules.ReasonToClose(Session(SessionStatus.Active), Start.AddHours(23), Options));

    [Fact]
    public void An_active_session_past_its_lifetime_closes_for_lifetime() =>
        Assert.Equal(CloseReason.Lifetime, SessionRules.ReasonToClose(Session(SessionStatus.Active), Start.AddHours(24), Options));

    [Fact]
    public void A_start_cut_off_for_a_whole_check_period_closes_as_failed() =>
        Assert.Equal(CloseReason.StartFailed, SessionRules.ReasonToClose(Session(SessionStatus.Provisioning), Start.AddMinutes(1), Options));

    [Fact]
    public void A_start_still_within_its_first_check_period_is_left_alone() =>
        Assert.Null(SessionRules.ReasonToClose(Session(SessionStatus.Provisioning), Start.AddSeconds(30), Options));

    [Fact]
    public void A_session_whose_close_failed_is_closed_again_for_the_same_reason()
    {
        var closing = Session(SessionStatus.Closing) with { CloseReason = CloseReason.Client };
        Assert.Equal(CloseReason.Client, SessionRules.ReasonToClose(closing, Start.AddMinutes(2), Options));
    }
}
