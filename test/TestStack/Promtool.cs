namespace OrleansWg.TestStack;

/// <summary>Prometheus' own checker of its text format (Debian's prometheus package).</summary>
public static class Promtool
{
    /// <returns>null when promtool parses <paramref name="metrics"/> (its lint remarks, exit 3, are not failures), else what it said.</returns>
    public static async Task<string?> ParseError(string metrics)
    {
        var result = await Command.Try("promtool", metrics, "check", "metrics");
        return result.ExitCode is 0 or 3 ? null : $"exit {result.ExitCode}: {result.Error}{result.Output}";
    }
}
