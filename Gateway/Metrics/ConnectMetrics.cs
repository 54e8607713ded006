using System.Text;

namespace OrleansWg.Gateway.Metrics;

/// <summary>Counts connects by outcome and how long they took, for <c>/metrics</c>.</summary>
public sealed class ConnectMetrics
{
    public const string RateLimited = "rate-limited";

    private static readonly double[] BucketBounds = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly object gate = new();
    private readonly SortedDictionary<string, long> outcomes = new(StringComparer.Ordinal);
    private readonly long[] buckets = new long[BucketBounds.Length];
    private double totalSeconds;
    private long count;

    /// <summary>Counts a connect refused before it was tried, such as one over the rate limit.</summary>
    public void Count(string outcome)
    {
        lock (gate)
        {
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
    }

    public void Record(string outcome, TimeSpan duration)
    {
        lock (gate)
        {
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            for (var bucket = 0; bucket < BucketBounds.Length; bucket++)
            {
                if (duration.TotalSeconds <= BucketBounds[bucket])
                {
                    buckets[bucket]++;
                }
            }

            totalSeconds += duration.TotalSeconds;
            count++;
        }
    }

    public void WriteTo(StringBuilder text)
    {
        lock (gate)
        {
            PrometheusText.Header(text, "owg_connects_total", "counter", "Connect requests answered, by outcome.");
            foreach (var (outcome, total) in outcomes)
            {
                PrometheusText.Sample(text, "owg_connects_total", total, ("outcome", outcome));
            }

            PrometheusText.Header(text, "owg_connect_duration_seconds", "histogram", "Time to answer a connect request.");
            for (var bucket = 0; bucket < BucketBounds.Length; bucket++)
            {
                PrometheusText.Sample(text, "owg_connect_duration_seconds_bucket", buckets[bucket], ("le", PrometheusText.Number(BucketBounds[bucket])));
            }

            PrometheusText.Sample(text, "owg_connect_duration_seconds_bucket", count, ("le", "+Inf"));
            PrometheusText.Sample(text, "owg_connect_duration_seconds_sum", totalSeconds);
            PrometheusText.Sample(text, "owg_connect_duration_seconds_count", count);
        }
    }
}
