using OrleansWg.Grains.Servers;

namespace OrleansWg.Grains.Tests;

public sealed class PeerScanTests
{
    private static readonly DateTimeOffset Added = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(3);
    private static readonly SessionPeer Peer = new("key", "100.64.0.2/32", AddedAt: Added, ExpiresAt: Added.AddHours(24));

    [Theory]
    // minutes after the add, minutes after the add of the last activity (null: none), reported, expected
    [InlineData(10, 8, true, false)]
    [InlineData(10, 7, true, true)]
    [InlineData(2, null, true, false)]
    [InlineData(3, null, true, true)]
    [InlineData(10, null, false, false)]
    [InlineData(24 * 60, 24 * 60, true, true)]
    public void A_session_is_told_to_check_when_idle_by_the_node_s_report_or_past_its_lifetime(
        int minutes, int? activityMinutes, bool reported, bool expected) =>
        Assert.Equal(expected, PeerScan.NeedsCheck(Peer, activityMinutes is { } at ? Added.AddMinutes(at) : null, reported,
            Added.AddMinutes(minutes), IdleTimeout));
}
