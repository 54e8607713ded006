using System.Diagnostics;

namespace OrleansWg.Benchmarks;

/// <summary>Times an operation a fixed number of times and reports percentiles in milliseconds.</summary>
public sealed class Latencies(string name, IReadOnlyList<double> milliseconds)
{
    private IReadOnlyList<double> Milliseconds => milliseconds;

    public string Name => name;

    public double P50 => Percentile(0.50);

    public double P90 => Percentile(0.90);

    public double P99 => Percentile(0.99);

    /// <param name="between">Untimed work after each run, e.g. undoing what the run did.</param>
    /// <param name="before">Untimed work before the first run.</param>
    public static async Task<double> Time(Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await operation();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public static async Task<Latencies> Measure(
        string name, int warmup, int count, Func<Task> operation, Func<Task>? between = null, Func<Task>? before = null)
    {
        if (before is not null)
        {
            await before();
        }

        var samples = new List<double>(count);
        for (var i = 0; i < warmup + count; i++)
        {
            var elapsed = await Time(operation);
            if (i >= warmup)
            {
                samples.Add(elapsed);
            }

            if (between is not null)
            {
                await between();
            }
        }

        return new Latencies(name, samples);
    }

    /// <summary>The samples of <paramref name="parts"/>, taken at different times, as one measure.</summary>
    public static Latencies Of(string name, params Latencies[] parts) => new(name, [.. parts.SelectMany(part => part.Milliseconds)]);

    public override string ToString() => $"{name,-58} p50 {P50,8:F2} ms   p99 {P99,8:F2} ms   (n={milliseconds.Count})";

    private double Percentile(double quantile)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(quantile * sorted.Length) - 1)];
    }
}
