using System.Diagnostics.Metrics;
using OrleansWg.Hosting;

namespace OrleansWg.NodeHost.Convergence;

/// <summary>
/// How long the node's convergences take, by kind, from the call's arrival to its answer, and how
/// much of that was the wait for the convergence lock (exported at <c>/metrics</c>).
/// </summary>
public sealed class ConvergenceMetrics
{
    private readonly Histogram<double> durations;
    private readonly Histogram<double> waits;

    public ConvergenceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterExport.MeterName);
        durations = meter.CreateHistogram<double>("node.convergence.duration", unit: "seconds", description: "Time to answer a convergence, lock wait included, by kind.");
        waits = meter.CreateHistogram<double>("node.convergence.wait", unit: "seconds", description: "Time a convergence waited for the convergence lock, by kind.");
    }

    public void Record(ConvergenceKind kind, TimeSpan waited, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant());
        waits.Record(waited.TotalSeconds, tag);
        durations.Record(duration.TotalSeconds, tag);
    }
}

/// <summary>What a convergence was asked for.</summary>
public enum ConvergenceKind
{
    /// <summary>One user's change pushed by the server grain: a connect or a disconnect.</summary>
    Change,

    /// <summary>The whole desired state pushed by the server grain.</summary>
    Whole,

    /// <summary>The heartbeat's, which reads Docker and every interface again.</summary>
    Reconcile,
}
