using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// Where the time of a span of connects and disconnects went, by the node's and the silo's own
/// /metrics: the node's mean convergence of one user's change (its wait for the convergence lock
/// included), that wait alone, the silo's mean write of a server's container shard, and the node's
/// mean reconcile (what a change that arrives during one waits for); in milliseconds.
/// </summary>
public sealed record ConnectParts(double NodeChangeMs, double NodeWaitMs, double ShardWriteMs, double NodeReconcileMs)
{
    private const string Change = "{kind=\"change\"}";
    private const string Reconcile = "{kind=\"reconcile\"}";

    /// <summary>The sums and counts the means are taken from, as they stand now.</summary>
    public sealed record Totals(double ChangeSeconds, double Changes, double WaitSeconds, double ShardWriteMs, double ShardWrites,
        double ReconcileSeconds, double Reconciles);

    public static async Task<Totals> ReadAsync(ControlPlane plane)
    {
        using var http = new HttpClient();
        var node = await http.GetStringAsync(plane.NodeMetrics(0));
        var silo = await http.GetStringAsync(plane.SiloMetrics(0));
        const string Write = "microsoft_orleans_orleans_storage_write_latency";
        const string Shards = "state_name=\"server-shard-";
        return new Totals(
            PrometheusText.Sample(node, $"orleanswg_node_convergence_duration_sum{Change}"),
            PrometheusText.Sample(node, $"orleanswg_node_convergence_duration_count{Change}"),
            PrometheusText.Sample(node, $"orleanswg_node_convergence_wait_sum{Change}"),
            PrometheusText.Sum(silo, $"{Write}_sum", Shards),
            PrometheusText.Sum(silo, $"{Write}_count", Shards),
            PrometheusText.Sample(node, $"orleanswg_node_convergence_duration_sum{Reconcile}"),
            PrometheusText.Sample(node, $"orleanswg_node_convergence_duration_count{Reconcile}"));
    }

    public static ConnectParts Between(Totals before, Totals after)
    {
        var changes = after.Changes - before.Changes;
        return new ConnectParts(
            (after.ChangeSeconds - before.ChangeSeconds) * 1000 / changes,
            (after.WaitSeconds - before.WaitSeconds) * 1000 / changes,
            (after.ShardWriteMs - before.ShardWriteMs) / (after.ShardWrites - before.ShardWrites),
            (after.ReconcileSeconds - before.ReconcileSeconds) * 1000 / (after.Reconciles - before.Reconciles));
    }
}
