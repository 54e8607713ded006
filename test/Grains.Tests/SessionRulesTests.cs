using OrleansWg.Grains.Sessions;

namespace OrleansWg.Grains.Tests;

public sealed class SessionRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly SessionOptions Options = new()
    {
        CheckPeriod = TimeSpan.FromMinutes(1),
        MaxLifetime = TimeSpan.FromHours(24),
        IdleTimeout = TimeSpan.FromMinutes(3),
        NodeLostGrace = TimeSpan.FromMinutes(1),
    };

    private static SessionState Session(SessionStatus status, DateTimeOffset? lastActivity = null) =>
        new() { User = "alice", Status = status, CreatedAt = Start, ExpiresAt = Start + Options.MaxLifetime, LastActivity = lastActivity };

    private static CloseReason? Check(SessionState session, TimeSpan after, TimeSpan? nodeDownFor = null, bool activityKnown = true) =>
        SessionRules.ReasonToClose(session, Start + after, Options, nodeDownFor, activityKnown);

    [Fact]
    public void A_session_active_within_the_idle_timeout_stays_open() =>
        Assert.Null(Check(Session(SessionStatus.Active, Start.AddHours(22).AddMinutes(58)), TimeSpan.FromHours(23)));

    [Fact]
    public void A_session_with_no_activity_for_the_idle_timeout_closes_as_idle() =>
        Assert.Equal(CloseReason.Idle, Check(Session(SessionStatus.Active, Start.AddMinutes(10)), TimeSpan.FromMinutes(13)));

    [Fact]
    public void A_peer_that_never_handshook_is_idle_the_idle_timeout_after_the_start()
    {
        Assert.Null(Check(Session(SessionStatus.Active), TimeSpan.FromMinutes(2)));
        Assert.Equal(CloseReason.Idle, Check(Session(SessionStatus.Active), TimeSpan.FromMinutes(3)));
    }

    [Fact]
    public void A_session_whose_server_has_not_heard_from_its_node_is_not_judged_idle_but_still_ends_with_its_lifetime()
    {
        Assert.Null(Check(Session(SessionStatus.Active, Start.AddMinutes(10)), TimeSpan.FromMinutes(13), activityKnown: false));
        Assert.Equal(CloseReason.Lifetime, Check(Session(SessionStatus.Active), TimeSpan.FromHours(24), activityKnown: false));
    }

    [Fact]
    public void An_active_session_past_its_lifetime_closes_for_lifetime() =>
        Assert.Equal(CloseReason.Lifetime, Check(Session(SessionStatus.Active, Start.AddHours(24)), TimeSpan.FromHours(24)));

    [Fact]
    public void A_session_whose_node_stays_down_past_the_grace_closes_as_node_lost_before_it_counts_as_idle()
    {
        var session = Session(SessionStatus.Active, Start);
        Assert.Null(Check(session, TimeSpan.FromSeconds(50), nodeDownFor: TimeSpan.FromSeconds(50)));
        Assert.Equal(CloseReason.NodeLost, Check(session, TimeSpan.FromMinutes(5), nodeDownFor: TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_start_cut_off_for_a_whole_check_period_closes_as_failed() =>
        Assert.Equal(CloseReason.StartFailed, Check(Session(SessionStatus.Provisioning), TimeSpan.FromMinutes(1)));

    [Fact]
    public void A_start_still_within_its_first_check_period_is_left_alone() =>
        Assert.Null(Check(Session(SessionStatus.Provisioning), TimeSpan.FromSeconds(30)));

    [Fact]
    public void A_session_whose_close_failed_is_closed_again_for_the_same_reason() =>
        Assert.Equal(CloseReason.Client, Check(Session(SessionStatus.Closing) with { CloseReason = CloseReason.Client }, TimeSpan.FromMinutes(2)));
}
