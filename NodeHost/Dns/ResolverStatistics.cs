using System.Diagnostics.Metrics;
using OrleansWg.Hosting;

namespace OrleansWg.NodeHost.Dns;

/// <summary>
/// The node's resolver's counters, by the node's server group (never by user): queries received
/// and queries blocked by the group's policy, taken from what unbound reports (exported at <c>/metrics</c>).
/// </summary>
public sealed class ResolverStatistics
{
    private const string QueriesStatistic = "total.num.queries";
    private const string BlockedStatistic = "num.rpz.action.rpz-nxdomain";

    private readonly Counter<long> queries;
    private readonly Counter<long> blocked;
    private readonly Dictionary<string, long> lastReported = [];

    public ResolverStatistics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterExport.MeterName);
        queries = meter.CreateCounter<long>("node.dns.queries", description: "Queries the node's resolver received from its users' containers, by server group.");
        blocked = meter.CreateCounter<long>("node.dns.blocked", description: "Queries the node's resolver answered NXDOMAIN by its group's blocked names, by server group.");
    }

    /// <summary>
    /// Counts what unbound-control's <c>stats_noreset</c> reports since its last report. unbound
    /// counts from zero again after a restart or a reload: then all it reports is new.
    /// </summary>
    /// <param name="group">The server's group, as its DNS policy last said.</param>
    public void Take(string report, string group)
    {
        var values = Parse(report);
        var tag = new KeyValuePair<string, object?>("group", group);
        queries.Add(Since(QueriesStatistic, values), tag);
        blocked.Add(Since(BlockedStatistic, values), tag);
    }

    /// <summary>unbound-control's <c>name=value</c> lines.</summary>
    public static Dictionary<string, long> Parse(string report) =>
        report.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2 && long.TryParse(pair[1], System.Globalization.CultureInfo.InvariantCulture, out _))
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture));

    private long Since(string statistic, Dictionary<string, long> values)
    {
        // unbound leaves out an RPZ counter until it is first counted.
        var now = values.GetValueOrDefault(statistic);
        var before = lastReported.GetValueOrDefault(statistic);
        lastReported[statistic] = now;
        return now >= before ? now - before : now;
    }
}
