using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// A warm connect's stages as its trace shows them: every process exports its spans to an OTLP
/// receiver here, and each stage is printed with how often a connect has it, when it starts within
/// the connect and how long it takes (medians). Tracing costs time of its own, so these connects are
/// not the ones the core figures are measured on.
/// </summary>
public static class TraceBenchmarks
{
    private const int Warmup = 10;

    /// <param name="Name">The process's service name and the span's name.</param>
    /// <param name="PerConnect">How many such spans a connect has (median).</param>
    /// <param name="Start">When the first of them starts, after the Gateway took the request (median, ms).</param>
    /// <param name="Duration">Their time together in one connect (median, ms).</param>
    public sealed record Stage(string Name, double PerConnect, double Start, double Duration);

    public static async Task<IReadOnlyList<Stage>> RunAsync()
    {
        await using var receiver = OtlpReceiver.Start();
        var settings = Production.Heartbeat;
        foreach (var (key, value) in receiver.Settings)
        {
            settings[key] = value;
        }

        await using var plane = await ControlPlane.StartAsync(settings);
        await plane.CreateUser("bench");
        await plane.Connect("bench");
        await CoreBenchmarks.MeasureWarmConnect(plane, "traced warm connects");
        // The processes export every 200 ms.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var spans = receiver.Spans;
        var traces = spans.Where(span => span is { Name: "POST /v1/connect", ParentSpanId: null }).OrderBy(root => root.Start).Skip(Warmup + 1)
            .Select(root => (Root: root, Spans: spans.Where(span => span.TraceId == root.TraceId).ToList())).ToList();
        return [.. traces
            .SelectMany(trace => trace.Spans.GroupBy(StageName).Select(stage => (Stage: stage.Key, Count: stage.Count(),
                Start: (stage.Min(span => span.Start) - trace.Root.Start).TotalMilliseconds, Duration: stage.Sum(span => span.Duration.TotalMilliseconds))))
            .GroupBy(sample => sample.Stage)
            .Select(stage => new Stage(stage.Key, Median(stage.Select(s => (double)s.Count)), Median(stage.Select(s => s.Start)), Median(stage.Select(s => s.Duration))))
            .OrderBy(stage => stage.Start)];
    }

    /// <summary>A span's stage: its process and name, with a database command's first words, which tell a read from a write.</summary>
    private static string StageName(ReceivedSpan span) =>
        $"{span.Service.Replace("orleanswg-", "", StringComparison.Ordinal)}: {span.Name}"
        + (span.Attributes.GetValueOrDefault("db.query.text") ?? span.Attributes.GetValueOrDefault("db.statement")) switch
        {
            { } query => $" ({string.Join(' ', query.Split((char[])[' ', '\n', '('], StringSplitOptions.RemoveEmptyEntries).Take(4))})",
            null => "",
        };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }
}
