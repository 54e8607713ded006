using Prometheus;

namespace OrleansWg.Hosting;

/// <summary>How this process's .NET meters become Prometheus metrics (prometheus-net's meter adapter).</summary>
public static class MeterExport
{
    /// <summary>Our meter: its name is the prefix of every metric of ours (orleanswg_...).</summary>
    public const string MeterName = Telemetry.Name;

    /// <summary>Listens from now on; the runtime's private diagnostics meters are left out.</summary>
    public static void Start() => Metrics.ConfigureMeterAdapter(options =>
        options.InstrumentFilterPredicate = instrument => !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal));

    /// <summary>
    /// The adapter takes up instruments made since its last collection only when it collects again,
    /// and drops their measurements until then: one collection now, once the process has made its
    /// instruments, keeps the first connects from going uncounted.
    /// </summary>
    public static Task BindInstrumentsAsync() => Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null);
}
