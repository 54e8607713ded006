using OrleansWg.Grains.Servers;

namespace OrleansWg.Grains.Tests;

public sealed class PeerScanTests
{
    private static readonly DateTimeOffset Added = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(3);
    private static readonly SessionPeer Peer = new("key", "100.64.0.2/32", AddedAt: Added, ExpiresAt: Added.AddHours(24));

    [Theory]
    // minutes after the add, minutes after the add of the last activity (null: none), reported, node down, expected
    [InlineData(10, 8, true, false, false)]
    [InlineData(10, 7, true, false, true)]
    [InlineData(2, null, true, false, false)]
    [InlineData(3, null, true, false, true)]
    [InlineData(10, null, false, false, false)]
    [InlineData(10, 9, false, true, true)]
    [InlineData(24 * 60, 24 * 60, true, false, true)]
    public void A_session_is_told_to_check_when_idle_by_the_node_s_report_past_its_lifetime_or_with_its_node_down(
        int minutes, int? activityMinutes, bool reported, bool nodeDown, bool expected) =>
        Assert.Equal(expected, PeerScan.NeedsCheck(Peer, activityMinutes is { } at ? Added.AddMinutes(at) : null, reported, nodeDown,
            Added.AddMinutes(minutes), IdleTimeout));
}
