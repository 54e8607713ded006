using OrleansWg.Grains.Servers;

namespace OrleansWg.Grains.Tests;

public sealed class HeartbeatBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_burst_is_taken_at_once_then_heartbeats_only_at_the_rate()
    {
        var budget = new HeartbeatBudget(burst: 3, perSecond: 2);

        var burst = Enumerable.Range(0, 4).Select(_ => budget.TryTake(Start)).ToList();
        var afterHalfASecond = budget.TryTake(Start.AddSeconds(0.5));
        var againAtOnce = budget.TryTake(Start.AddSeconds(0.5));

        Assert.Equal([true, true, true, false], burst);
        Assert.True(afterHalfASecond);
        Assert.False(againAtOnce);
    }

    [Fact]
    public void A_quiet_node_gets_back_no_more_than_its_burst()
    {
        var budget = new HeartbeatBudget(burst: 2, perSecond: 5);
        budget.TryTake(Start);
        budget.TryTake(Start);

        var afterAnHour = Enumerable.Range(0, 3).Select(_ => budget.TryTake(Start.AddHours(1))).ToList();

        Assert.Equal([true, true, false], afterAnHour);
    }
}
