using OrleansWg.NodeHost.Dns;

namespace OrleansWg.NodeHost.Tests;

public sealed class ResolverStatisticsTests
{
    [Theory]
    [InlineData("total.num.queries=12\nnum.rpz.action.rpz-nxdomain=3\n", "total.num.queries", 12L)]
    [InlineData("thread0.num.queries=5\ntotal.num.queries=5\n", "num.rpz.action.rpz-nxdomain", 0L)]
    [InlineData("total.requestlist.avg=0.5\ntotal.num.queries=7", "total.requestlist.avg", 0L)]
    [InlineData("garbage\n=\ntotal.num.queries=x\n", "total.num.queries", 0L)]
    public void Unbound_controls_report_is_read_as_whole_counters(string report, string name, long expected) =>
        Assert.Equal(expected, ResolverStatistics.Parse(report).GetValueOrDefault(name));
}
