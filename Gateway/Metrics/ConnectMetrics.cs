using System.Diagnostics.Metrics;
using OrleansWg.Hosting;

namespace OrleansWg.Gateway.Metrics;

/// <summary>Connects by outcome and how long they took, as .NET meter instruments (exported at <c>/metrics</c>).</summary>
public sealed class ConnectMetrics
{
    public const string MeterName = MeterExport.MeterName;
    public const string RateLimited = "rate-limited";

    private readonly Counter<long> connects;
    private readonly Histogram<double> durations;

    public ConnectMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        connects = meter.CreateCounter<long>("connects", description: "Connect requests answered, by outcome.");
        durations = meter.CreateHistogram<double>("connect.duration", unit: "seconds", description: "Time to answer a connect request.");
    }

    /// <summary>Counts a connect refused before it was tried, such as one over the rate limit.</summary>
    public void Count(string outcome) => connects.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Record(string outcome, TimeSpan duration)
    {
        Count(outcome);
        durations.Record(duration.TotalSeconds);
    }
}
